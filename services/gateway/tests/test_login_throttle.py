"""Password guessing is throttled per user name and per address, before the directory
spends argon2 work on it, and the guesser hears 429 with Retry-After."""

import asyncio

from services.gateway.tests.conftest import login, running

TOKEN = "/api/v1/auth/token"


async def _try(client, username: str, password: str) -> int:
    answer = await client.post(TOKEN, json={"username": username, "password": password})
    return answer.status_code


async def test_a_user_name_that_failed_five_times_waits_even_with_the_right_password(echo):
    async with running(echo) as client:
        assert [await _try(client, "corlaer", "geraden") for _ in range(5)] == [401] * 5
        refused = await client.post(TOKEN, json={"username": "Corlaer", "password": "demo"})
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) > 0
        assert "aanmeldpogingen" in refused.json()["detail"]
        await login(client, "element")  # another person signs in as before


async def test_successful_sign_ins_do_not_count_as_failures(echo):
    async with running(echo) as client:
        for _ in range(8):
            await login(client, "corlaer")


async def test_an_address_gets_only_so_many_attempts_whatever_the_names(echo):
    async with running(echo, login_burst_per_address=3, login_rate_per_address=0.01) as client:
        tries = await asyncio.gather(*(_try(client, f"gast{i}", "x") for i in range(5)))
        assert sorted(tries) == [401, 401, 401, 429, 429]
