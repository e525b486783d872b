"""The auditor's side: verify the chain, replay acts, checkpoints, Merkle proofs, findings, export.

Everything here only reads: the CLI opens the store read-only for every ``delib audit`` command.
"""
