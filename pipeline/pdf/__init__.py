"""PDF/A with LibreOffice: conversion, joined letters, page splitting, the soffice guard."""
