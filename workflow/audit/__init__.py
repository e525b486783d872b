"""The auditor's side: verify the hash chain, replay acts, checkpoints and Merkle proofs, findings, export.

Everything here only reads: the CLI opens the store read-only for every ``delib audit`` command.
"""
