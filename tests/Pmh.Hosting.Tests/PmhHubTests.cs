namespace Pmh.Hosting.Tests;

public class PmhHubTests
{
    private static readonly string[] Known = ["gateway", "subsidy"];

    [Fact]
    public void All_selects_every_known_service()
    {
        var selection = ServiceSelection.Parse("all", Known);
        Assert.True(selection.IsAll);
        Assert.True(selection.Contains("subsidy"));
        Assert.True(ServiceSelection.Parse(null, Known).IsAll);
    }

    [Fact]
    public void A_list_selects_only_the_named_services()
    {
        var selection = ServiceSelection.Parse(" Gateway ", Known);
        Assert.False(selection.IsAll);
        Assert.True(selection.Contains("gateway"));
        Assert.False(selection.Contains("subsidy"));
    }

    [Fact]
    public void An_unknown_service_is_refused_with_the_known_ones()
    {
        var e = Assert.Throws<PmhConfigurationException>(() => ServiceSelection.Parse("gateway,billing", Known));
        Assert.Contains("unknown service 'billing'", e.Message, StringComparison.Ordinal);
        Assert.Contains("gateway, subsidy", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_subset_on_the_in_memory_bus_is_refused_with_a_clear_message()
    {
        var builder = HostBuilders.With("Production", ("Pmh:HubSecret", HostBuilders.Secret));

        var e = Assert.Throws<PmhConfigurationException>(() => builder.AddPmhHub(ServiceSelection.Parse("gateway", Known)));

        Assert.Contains("cannot run on the in-memory bus", e.Message, StringComparison.Ordinal);
        Assert.Contains("Pmh:Bus:Transport=RabbitMq", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_subset_on_RabbitMq_is_accepted()
    {
        var builder = HostBuilders.With("Production", ("Pmh:HubSecret", HostBuilders.Secret), ("Pmh:Bus:Transport", "RabbitMq"),
            ("ConnectionStrings:RabbitMq", "amqp://guest:guest@127.0.0.1:5673/"));

        var hub = builder.AddPmhHub(ServiceSelection.Parse("subsidy", Known)).AddPmhBus();

        Assert.Equal(BusTransport.RabbitMq, hub.Bus.Transport);
    }

    [Fact]
    public void RabbitMq_without_a_connection_string_is_refused()
    {
        var builder = HostBuilders.With("Production", ("Pmh:HubSecret", HostBuilders.Secret), ("Pmh:Bus:Transport", "RabbitMq"));

        var e = Assert.Throws<PmhConfigurationException>(() => builder.AddPmhHub(ServiceSelection.Parse("all", Known)).AddPmhBus());

        Assert.Contains("ConnectionStrings:RabbitMq", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PostgreSql_without_the_services_connection_string_is_refused()
    {
        var builder = HostBuilders.With("Production", ("Pmh:HubSecret", HostBuilders.Secret), ("Pmh:Storage:Provider", "PostgreSql"));
        var hub = builder.AddPmhHub(ServiceSelection.Parse("all", Known));

        var e = Assert.Throws<PmhConfigurationException>(() => hub.AddServiceDatabase("Subsidy", typeof(PmhHubTests).Assembly));

        Assert.Contains("ConnectionStrings:Subsidy is required when Pmh:Storage:Provider is PostgreSql", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_Development_the_hub_refuses_to_start_without_a_secret()
    {
        var builder = HostBuilders.With("Production");

        var e = Assert.Throws<PmhConfigurationException>(() => builder.AddPmhHub(ServiceSelection.Parse("all", Known)));

        Assert.Contains("Pmh:HubSecret is not set", e.Message, StringComparison.Ordinal);
    }
}
