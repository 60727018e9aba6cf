"""Pure rules of a live panel: slot clock, run of show, questions, polls. Standard library only."""
