from msap.network.queries import visible_houses


def test_world_builds_and_agent_sees_only_own_house(world):
    assert list(visible_houses(world.users.agent)) == [world.house]
