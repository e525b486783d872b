def test_demo_reaches_executory(cli):
    result = cli.json("demo")
    assert result["act"]["state"] == "executory"
    assert result["act"]["executory_on"] == "2024-12-14"
