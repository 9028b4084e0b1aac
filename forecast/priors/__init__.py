"""Priors: analyst statements (a range and a confidence) turned into priors."""
