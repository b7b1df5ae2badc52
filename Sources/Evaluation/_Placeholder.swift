// Evaluation — see the module's files.
