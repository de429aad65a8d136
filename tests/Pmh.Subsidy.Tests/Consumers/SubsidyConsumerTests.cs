using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Pmh.Contracts.Batches;
using Pmh.Contracts.Subsidy;
using Pmh.Hosting;
using Pmh.Hosting.Outbox;
using Pmh.Modules.Batches;
using Pmh.Subsidy.Consumers;
using Pmh.Subsidy.Publishing;
using Pmh.Subsidy.Storage;
using Pmh.Testing;

namespace Pmh.Subsidy.Tests.Consumers;

public sealed class SubsidyConsumerTests : IAsyncLifetime
{
    private readonly TestDatabase _database = TestDatabase.Create(
        StorageProvider.Sqlite, SubsidyServiceExtensions.DatabaseName, typeof(SubsidyServiceExtensions).Assembly);

    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;
    private OutboxPump _outbox = null!;

    public async Task InitializeAsync()
    {
        _provider = new ServiceCollection()
            .AddKeyedSingleton(SubsidyServiceExtensions.DatabaseName, _database.Database)
            .AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero)))
            .AddSingleton<SubsidyCertificateStore>()
            .AddSingleton<CopaymentLedger>()
            .AddSingleton<IBatchPartStager<PublishSubsidyCertificates>, SubsidyBatchParts>()
            .AddOutboxDispatcher(SubsidyServiceExtensions.DatabaseName, inMemoryBus: true)
            .AddMassTransitTestHarness(bus =>
            {
                bus.SetKebabCaseEndpointNameFormatter();
                bus.AddConfigureEndpointsCallback((_, _, endpoint) => Pmh.Hosting.Messaging.ConsumerFaultPolicy.Apply(endpoint, new Pmh.Hosting.BusOptions()));
                bus.AddConsumer<StageBatchPartConsumer<PublishSubsidyCertificates>, StageBatchPartConsumerDefinition<PublishSubsidyCertificates, SubsidyBatchParts>>();
                bus.AddConsumer<CheckSubsidyEligibilityConsumer>();
            })
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
        _outbox = await OutboxPump.StartAsync(_provider);
    }

    public async Task DisposeAsync()
    {
        await _outbox.DisposeAsync();
        await _harness.Stop();
        await _provider.DisposeAsync();
        _database.Dispose();
    }

    private async Task SendAsync(PublishSubsidyCertificates part)
    {
        var endpoint = await _harness.Bus.GetSendEndpoint(new Uri($"queue:{SubsidyQueues.PublishCertificates}"));
        await endpoint.Send(part);
    }

    [Fact]
    public async Task A_whole_batch_publishes_one_event_with_its_accepted_count()
    {
        await SendAsync(Certificates.Batch("b1", Certificates.Make("alice", "H-1"), Certificates.Make("bob", "H-2")));

        Assert.True(await _harness.Published.Any<MunicipalBatchApplied>());
        var published = _harness.Published.Select<MunicipalBatchApplied>().Single().Context.Message;
        Assert.Equal(("131016", "b1", 2), (published.MunicipalityCode, published.BatchId, published.AcceptedCount));
    }

    [Fact]
    public async Task A_batch_in_parts_publishes_its_event_only_after_the_last_part()
    {
        var parts = Certificates.Parts("b1", 1, Certificates.Make("alice", "H-1"), Certificates.Make("bob", "H-2"));

        await SendAsync(parts[0]);
        Assert.True(await _harness.Consumed.Any<PublishSubsidyCertificates>(x => x.Context.Message.PartIndex == 0));
        Assert.False(await _harness.Published.Any<MunicipalBatchApplied>(TestContext.Current()));

        await SendAsync(parts[1]);
        Assert.True(await _harness.Published.Any<MunicipalBatchApplied>());
    }

    [Fact]
    public async Task A_redelivered_part_publishes_the_same_result_again_and_stores_nothing_new()
    {
        var batch = Certificates.Batch("b1", Certificates.Make("alice", "H-1"));
        await SendAsync(batch);
        Assert.True(await _harness.Published.Any<MunicipalBatchApplied>());

        await SendAsync(batch);
        await WaitUntilAsync(() => _harness.Published.Select<MunicipalBatchApplied>().Count() == 2);

        var events = _harness.Published.Select<MunicipalBatchApplied>().Select(e => e.Context.Message).ToList();
        Assert.Equal(events[0], events[1]);
        var current = await _provider.GetRequiredService<SubsidyCertificateStore>().CurrentForPersonAsync("alice", default);
        Assert.Single(current);
    }

    [Fact]
    public async Task A_part_redelivered_with_the_same_message_id_changes_nothing_and_announces_the_applied_batch_again()
    {
        var batch = Certificates.Batch("b1", Certificates.Make("alice", "H-1"));
        var messageId = NewId.NextGuid();
        var endpoint = await _harness.Bus.GetSendEndpoint(new Uri($"queue:{SubsidyQueues.PublishCertificates}"));
        await endpoint.Send(batch, c => c.MessageId = messageId);
        Assert.True(await _harness.Published.Any<MunicipalBatchApplied>());
        var store = _provider.GetRequiredService<SubsidyCertificateStore>();
        var before = System.Text.Json.JsonSerializer.Serialize(await store.CurrentForPersonAsync("alice", default));

        await endpoint.Send(batch with { RowCount = batch.RowCount + 1 }, c => c.MessageId = messageId);
        await WaitUntilAsync(() => _harness.Published.Select<MunicipalBatchApplied>().Count() == 2);

        // The inbox knew the message: nothing was staged or checked again (this altered copy would otherwise be refused as
        // inconsistent with its batch), the certificates are as before, and the batch's result was announced once more.
        Assert.False(await _harness.Published.Any<Fault<PublishSubsidyCertificates>>(TestContext.Current()));
        Assert.Equal(before, System.Text.Json.JsonSerializer.Serialize(await store.CurrentForPersonAsync("alice", default)));
        var inbox = await _database.Database.RunAsync(
            (connection, ct) => Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, new Dapper.CommandDefinition(
                "SELECT COUNT(*) FROM inbox_messages WHERE message_id = @Id", new { Id = messageId.ToString("D") }, cancellationToken: ct)),
            default);
        Assert.Equal(1, inbox);
        var events = _harness.Published.Select<MunicipalBatchApplied>().Select(e => e.Context.Message).ToList();
        Assert.Equal(events[0], events[1]);
    }

    [Fact]
    public async Task A_part_of_another_municipality_faults_into_the_error_queue_and_stores_nothing()
    {
        var batch = Certificates.Batch("b1", Certificates.Make("alice", "H-1")) with { MunicipalityCode = "132012" };

        await SendAsync(batch);

        Assert.True(await _harness.Published.Any<Fault<PublishSubsidyCertificates>>());
        Assert.False(await _harness.Published.Any<MunicipalBatchApplied>(TestContext.Current()));
        var current = await _provider.GetRequiredService<SubsidyCertificateStore>().CurrentForPersonAsync("alice", default);
        Assert.Empty(current);
    }

    [Fact]
    public async Task Eligibility_answers_with_the_certificates_valid_on_the_service_date_only()
    {
        await SendAsync(Certificates.Batch(
            "b1",
            Certificates.Make("alice", "H-1"),
            Certificates.Make("alice", "H-2", validFrom: "2025-04-01", validTo: "2026-03-31"),
            Certificates.Make("alice", "H-3", notDisclosed: true),
            Certificates.Make("bob", "H-4")));
        Assert.True(await _harness.Published.Any<MunicipalBatchApplied>());

        var client = _harness.GetRequestClient<CheckSubsidyEligibility>();
        var response = await client.GetResponse<SubsidyEligibility>(new CheckSubsidyEligibility
        {
            PersonKey = "alice",
            ServiceDate = new DateOnly(2026, 4, 1),
        });

        Assert.Equal(["H-1"], response.Message.Certificates.Select(c => c.HistoryKey));
        Assert.Equal("alice", response.Message.PersonKey);
    }

    private static Task WaitUntilAsync(Func<bool> condition, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(condition))] string awaited = "") =>
        Eventually.UntilAsync(condition, awaited);
}

/// <summary>A short wait for "nothing happened" assertions (the harness otherwise waits its full inactivity timeout).</summary>
internal static class TestContext
{
    public static CancellationToken Current() => new CancellationTokenSource(TimeSpan.FromMilliseconds(500)).Token;
}
