"""Reading and writing documents and run directories."""
