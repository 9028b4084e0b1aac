"""Simulation checks of the model: prior SBC (:mod:`.sbc`) and a parameter-recovery grid
(:mod:`.recovery`), both fitted with a model compiled once (:mod:`.fastfit`, on
:mod:`forecast.model.compiled`)."""
