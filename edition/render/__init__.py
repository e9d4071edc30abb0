"""The outputs: the web edition (`html`) and the print edition (`pdf`), each written into a fresh
folder that `edition.build` swaps into place."""
