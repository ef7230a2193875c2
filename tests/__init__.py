"""The test suite; its packages follow pipeline/, shared helpers live at this level."""
