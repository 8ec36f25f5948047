"""SMS backends for benchmarks only.

    ZHIQIAN_SMS_BACKEND=bench.sms.NoopSMSBackend

takes the SMS gateway out of the measurement (the outbox row, its SELECT and its UPDATE to SENT
still happen: only `send` itself does nothing).
"""


class NoopSMSBackend:
    """Sends nothing, instantly."""

    def send(self, *, to: str, body: str) -> None:
        pass
