using Pmh.Gateway.Participants;
using Pmh.Modules.Participants;
using Pmh.Hosting;

namespace Pmh.Gateway.Tests.Participants;

public class ParticipantDirectoryTests
{
    private static ParticipantOptions Municipality(string id, string code, string key) => new()
    {
        Id = id,
        Role = ParticipantRole.Municipality,
        Code = code,
        ApiKeySha256 = ParticipantDirectory.HashKey(key),
    };

    [Fact]
    public void A_participant_is_found_by_its_key_and_only_the_hash_is_held()
    {
        var directory = new ParticipantDirectory([Municipality("chiyoda", "131016", "secret-key")], isDevelopment: false);

        Assert.Equal("chiyoda", directory.FindByKey("secret-key")?.Id);
        Assert.Null(directory.FindByKey("secret-key "[..^1] + "x"));
    }

    [Fact]
    public void Demo_keys_are_refused_outside_Development()
    {
        var demo = DemoParticipants.All[0];
        var options = new ParticipantOptions
        {
            Id = demo.Participant.Id,
            Role = demo.Participant.Role,
            Code = demo.Participant.Code,
            ApiKeySha256 = ParticipantDirectory.HashKey(demo.ApiKey),
        };

        var e = Assert.Throws<PmhConfigurationException>(() => new ParticipantDirectory([options], isDevelopment: false));
        Assert.Contains("demo credentials are refused outside Development", e.Message, StringComparison.Ordinal);
        Assert.NotNull(new ParticipantDirectory([options], isDevelopment: true).FindByKey(demo.ApiKey));
    }

    [Fact]
    public void Every_demo_participant_has_a_valid_code_for_its_role()
    {
        var options = DemoParticipants.All.Select(p => new ParticipantOptions
        {
            Id = p.Participant.Id,
            Role = p.Participant.Role,
            Code = p.Participant.Code,
            ApiKeySha256 = ParticipantDirectory.HashKey(p.ApiKey),
        });

        Assert.Equal(DemoParticipants.All.Count, new ParticipantDirectory(options, isDevelopment: true).All.Count);
    }

    [Fact]
    public void A_municipality_with_an_invalid_code_is_refused_naming_the_setting()
    {
        var e = Assert.Throws<PmhConfigurationException>(() => new ParticipantDirectory([Municipality("x", "131017", "k")], isDevelopment: false));
        Assert.Contains("Pmh:Gateway:Participants:0:Code check digit does not match", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_ids_and_shared_keys_are_refused()
    {
        Assert.Throws<PmhConfigurationException>(() => new ParticipantDirectory(
            [Municipality("a", "131016", "k1"), Municipality("a", "132012", "k2")], isDevelopment: false));
        Assert.Throws<PmhConfigurationException>(() => new ParticipantDirectory(
            [Municipality("a", "131016", "k1"), Municipality("b", "132012", "k1")], isDevelopment: false));
    }

    [Fact]
    public void A_key_hash_that_is_not_64_hex_digits_is_refused()
    {
        var options = Municipality("a", "131016", "k");
        options.ApiKeySha256 = "abc";
        Assert.Throws<PmhConfigurationException>(() => new ParticipantDirectory([options], isDevelopment: false));
    }
}
