from msap import permissions


def test_world_builds_and_agent_sees_only_own_house(world):
    assert list(permissions.visible_houses(world.users.agent)) == [world.house]
