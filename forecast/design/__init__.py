"""Design: a scenario and its dataset turned into the model's arrays (history and horizon)."""
