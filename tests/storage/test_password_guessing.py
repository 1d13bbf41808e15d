"""Issue 10 #6: wrong passwords slow down the client that sends them, not the facilitator at
another browser; guessing from many clients pauses password sign-in until it passes or whoever
runs the server resets the password (SQLite and PostgreSQL)."""

import threading

import pytest

from prioritization.storage import audit, auth, sessions
from prioritization.storage.errors import StorageInputError

RIGHT = "rätt häftklammer"
T0 = 1_000_000.0


@pytest.fixture
def with_password(db):
    auth.set_facilitator_password(db, RIGHT)
    return db


def refused(db, password, client, now) -> StorageInputError:
    with pytest.raises(StorageInputError) as e:
        auth.check_facilitator_password(db, password, client=client, now=now)
    return e.value


def test_an_attacker_guessing_every_two_seconds_never_locks_out_the_facilitator(with_password, fac):
    db = with_password
    t = T0
    for k in range(40):  # 80 seconds of one guess every two seconds
        t = T0 + 2 * k
        try:
            assert not auth.check_facilitator_password(db, f"gissning {k}", client="ip:203.0.113.9", now=t)
        except StorageInputError as e:
            assert e.code == "too_many_attempts"
        # the facilitator, at another browser, signs in at any moment of it
        if k % 7 == 3:
            assert auth.check_facilitator_password(db, RIGHT, client="ip:198.51.100.4", now=t + 1)
    assert refused(db, "gissning", "ip:203.0.113.9", t + 2).code == "too_many_attempts"
    assert any(x.action == "auth.client_backoff" for x in audit.entries(db, fac))


def test_a_client_waits_longer_with_every_further_failure_and_the_right_password_waits_too(with_password):
    db = with_password
    for k in range(auth.CLIENT_FAILURES):
        assert not auth.check_facilitator_password(db, "fel", client="c", now=T0 + k)
    last = T0 + auth.CLIENT_FAILURES - 1
    e = refused(db, RIGHT, "c", last + 1)  # the right password is not even compared
    assert e.code == "too_many_attempts" and e.params["minutes"] == 1
    assert not auth.check_facilitator_password(db, "fel", client="c", now=last + auth.CLIENT_FIRST_WAIT + 1)
    e = refused(db, RIGHT, "c", last + auth.CLIENT_FIRST_WAIT + 2)
    assert e.params["minutes"] == 2  # doubled
    later = last + auth.CLIENT_FIRST_WAIT + 1 + 2 * auth.CLIENT_FIRST_WAIT + 1
    assert auth.check_facilitator_password(db, RIGHT, client="c", now=later)
    # success forgets this client's count: one more wrong one is just wrong
    assert not auth.check_facilitator_password(db, "fel", client="c", now=later + 1)


def test_the_wait_never_exceeds_the_cap():
    times = [T0 + k for k in range(30)]
    assert auth.client_wait(times, times[-1]) == auth.CLIENT_MAX_WAIT
    assert auth.client_wait(times[:auth.CLIENT_FAILURES - 1], times[-1]) == 0


def test_guessing_from_many_clients_pauses_sign_in_and_a_reset_on_the_server_ends_it(with_password, fac):
    db = with_password
    t = T0
    for k in range(auth.ALL_FAILURES):
        t = T0 + k
        assert not auth.check_facilitator_password(db, "fel", client=f"tab:{k // 4}", now=t)
    e = refused(db, RIGHT, "ip:198.51.100.4", t + 1)
    assert e.code == "sign_in_paused" and e.params["minutes"] == 59
    assert any(x.action == "auth.lockout" for x in audit.entries(db, fac))
    # the facilitator's open sign-in is ended by the reset, too (someone may have the password)
    token, _ = sessions.sign_in_facilitator(db, "Facilitator")
    assert sessions.resume(db, token) is not None
    assert auth.reset_facilitator_password(db, "ett helt nytt lösenord") == 1
    assert sessions.resume(db, token) is None
    assert auth.check_facilitator_password(db, "ett helt nytt lösenord", client="ip:198.51.100.4", now=t + 2)
    assert not auth.check_facilitator_password(db, RIGHT, client="ip:198.51.100.4", now=t + 3)
    assert any(x.action == "auth.password_reset" for x in audit.entries(db, fac))
    # and the pause ends by itself once the window has passed
    for k in range(auth.ALL_FAILURES - 1):  # with the wrong old password above: the limit
        auth.check_facilitator_password(db, "fel", client=f"x{k}", now=t + 10 + k / 100)
    assert refused(db, "ett helt nytt lösenord", "y", t + 20).code == "sign_in_paused"
    assert auth.check_facilitator_password(db, "ett helt nytt lösenord", client="y", now=t + 11 + auth.ALL_WINDOW)


def test_the_failure_record_stays_bounded(with_password, monkeypatch):
    db = with_password
    monkeypatch.setattr(auth, "MAX_CLIENTS_KEPT", 10)
    for k in range(25):
        auth.check_facilitator_password(db, "fel", client=f"c{k}", now=T0 + k)
    from prioritization.storage.schema import Setting

    with db.reader() as s:
        import json

        kept = json.loads(s.get(Setting, auth.FAILURES_KEY).value)
    assert len(kept["clients"]) == 10
    assert not {f"c{k}" for k in range(25)} & set(kept["clients"])  # hashed, not the client itself


def test_two_concurrent_wrong_passwords_are_both_counted(with_password):
    db = with_password
    errors = []

    def guess(k):
        try:
            auth.check_facilitator_password(db, "fel", client="same", now=T0 + k / 10)
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    for round_ in range(2):
        threads = [threading.Thread(target=guess, args=(2 * round_ + k,)) for k in range(2)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    assert not errors
    assert not auth.check_facilitator_password(db, "fel", client="same", now=T0 + 1)  # the fifth
    assert refused(db, RIGHT, "same", T0 + 2).code == "too_many_attempts"


def test_reset_refuses_a_short_password_and_changes_nothing(with_password):
    db = with_password
    with pytest.raises(StorageInputError, match="at least 10"):
        auth.reset_facilitator_password(db, "kort")
    assert auth.check_facilitator_password(db, RIGHT, client="a")
