using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Pmh.Contracts.Identifiers;
using Pmh.Hosting.Privacy;

namespace Pmh.Hosting.Tests.Privacy;

public class PersonKeysTests
{
    private static HubSecret Secret(string environment, string? value) =>
        HubSecret.FromConfiguration(
            new ConfigurationBuilder().AddInMemoryCollection([new(HubSecret.ConfigurationKey, value)]).Build(),
            new TestEnvironment(environment));

    [Fact]
    public void The_same_My_Number_always_gives_the_same_person_key()
    {
        var keys = new PersonKeys(Secret("Production", HostBuilders.Secret));
        Assert.Equal(keys.For(MyNumber.Parse("123456789018")), keys.For(MyNumber.Parse("123456789018")));
    }

    [Fact]
    public void Different_My_Numbers_give_different_person_keys()
    {
        var keys = new PersonKeys(Secret("Production", HostBuilders.Secret));
        Assert.NotEqual(keys.For(MyNumber.Parse("123456789018")), keys.For(MyNumber.FromBody("12345678902")));
    }

    [Fact]
    public void The_person_key_depends_on_the_secret_and_does_not_contain_the_number()
    {
        var one = new PersonKeys(Secret("Production", HostBuilders.Secret)).For(MyNumber.Parse("123456789018"));
        var other = new PersonKeys(Secret("Production", Convert.ToBase64String(new byte[32]))).For(MyNumber.Parse("123456789018"));

        Assert.NotEqual(one, other);
        Assert.Equal(43, one.Length);
        Assert.DoesNotContain("123456789018", one, StringComparison.Ordinal);
    }

    [Fact]
    public void Development_without_a_secret_uses_the_development_secret()
    {
        Assert.True(Secret("Development", null).IsDevelopmentSecret);
    }

    [Fact]
    public void The_development_secret_is_refused_outside_Development()
    {
        var e = Assert.Throws<PmhConfigurationException>(() => Secret("Production", HubSecret.DevelopmentSecret));
        Assert.Contains("public development secret", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("c2hvcnQ=", "at least 32 bytes")]
    [InlineData("not base64!", "must be base64")]
    [InlineData("", "is not set")]
    public void A_weak_or_malformed_secret_is_refused(string secret, string reason)
    {
        var e = Assert.Throws<PmhConfigurationException>(() => Secret("Staging", secret));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    private sealed class TestEnvironment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "tests";

        public string ContentRootPath { get; set; } = Path.GetTempPath();

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }
}
