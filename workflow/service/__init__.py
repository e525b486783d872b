"""The clerk's use cases: each reads the facts from the store, asks the engine, and persists.

Every transition happens in one database transaction: the act's row is updated only if its
``version`` is still the one read (else :class:`ConcurrentChange`), and its event is appended to the
council's hash chain in the same transaction. When two appends race for the same place in the
chain, the loser's whole transaction is rolled back and run again from the start (``retrying``).

One module per concept, each imported directly where it is used (``from workflow.service.vote import
vote_act``, inside the command: just as lazy, and a reader sees where each name comes from):

- ``context``: who acts, on which store, and when (:class:`Context`).
- ``reading``: a council, a session, an act, the members in office, an agenda, a history.
- ``chain``: appending an event to the council's hash chain; the retried transaction.
- ``setup``: councils, members, sessions, acts on a session's agenda.
- ``numbering``: the numbers of acts (date + rank), checked by the definition.
- ``record``: what the chain says happened to a session, a council's measures.
- ``transition``: the facts a rule reads; one act moved by the engine, or a step checked.
- ``attendance``: who is there, at the opening and at each item (pure).
- ``sitting``: convocation, opening (or quorum failure), the session convened again.
- ``vote``: the vote on one item.
- ``proxies``: proxies recorded ahead of the sessions they cover.
- ``register``: the list of deliberations and the minutes, and their publicity.
- ``publication``: publication, transmission to the prefecture, exemption from transmission.
- ``review``: requests, appeals, rulings, withdrawal, finality; postponing an item.
- ``due``: what each act and session needs next, by when.
- ``views``: how the CLI shows councils, sessions, acts and events; the status of every act.
"""
