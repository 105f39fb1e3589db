"""What the views ask of a handlingsplan: one module per feature, one function per rule.

Every change is written in one transaction together with its line in the ärende's
audit log ("plan.changed", "plan.frozen", "plan.signed"); the log holds which field
changed, never the text.
"""
