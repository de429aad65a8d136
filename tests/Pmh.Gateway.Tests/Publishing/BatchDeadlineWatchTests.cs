using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Pmh.Gateway.Publishing;
using Pmh.Gateway.Storage;
using Pmh.Modules.Batches;
using Pmh.Testing;

namespace Pmh.Gateway.Tests.Publishing;

public sealed class BatchDeadlineWatchTests : IDisposable
{
    private readonly PmhHubFactory _hub = new();
    private readonly HttpClient _chiyoda;

    public BatchDeadlineWatchTests() => _chiyoda = _hub.ClientFor(PmhHubFactory.ChiyodaKey);

    public void Dispose() => _hub.Dispose();

    private BatchStore Batches => _hub.Services.GetRequiredService<BatchStore>();

    /// <summary>A batch recorded as accepted at <paramref name="submittedAt"/> whose parts never arrive anywhere.</summary>
    private Task AcceptedAsync(string batchId, DateTimeOffset submittedAt) =>
        Batches.TryCreateAsync(new BatchRecord
        {
            MunicipalityCode = TestData.Chiyoda,
            BatchId = batchId,
            Kind = "subsidy-certificates",
            PublisherId = "chiyoda",
            Fingerprint = "f-" + batchId,
            Status = BatchStatus.Accepted,
            RowCount = 1,
            ValidCount = 1,
            Rejections = [],
            SubmittedAt = submittedAt,
        }, CancellationToken.None);

    [Fact]
    public async Task A_batch_not_applied_within_the_deadline_is_failed_with_its_reason_and_a_younger_one_waits()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        var options = new GatewayOptions { BatchDeadline = TimeSpan.FromMinutes(30) };
        await AcceptedAsync("b-stuck", clock.GetUtcNow() - TimeSpan.FromMinutes(31));
        await AcceptedAsync("b-young", clock.GetUtcNow() - TimeSpan.FromMinutes(29));
        var watch = new BatchDeadlineWatch(Batches, options, clock, NullLogger<BatchDeadlineWatch>.Instance);

        Assert.Equal(1, await watch.FailOverdueAsync(CancellationToken.None));

        var stuck = await (await _chiyoda.GetAsync("/api/v1/batches/b-stuck")).JsonAsync();
        Assert.Equal("failed", (string?)stuck["status"]);
        Assert.Contains("not applied within 30 minutes", (string?)stuck["failure"], StringComparison.Ordinal);
        Assert.Contains("post the same batch again", (string?)stuck["failure"], StringComparison.Ordinal);
        var young = await _chiyoda.GetAsync("/api/v1/batches/b-young");
        Assert.Equal(HttpStatusCode.OK, young.StatusCode);
        Assert.Equal("accepted", (string?)(await young.JsonAsync())["status"]);

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await watch.FailOverdueAsync(CancellationToken.None));
        Assert.Equal(0, await watch.FailOverdueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_batch_applied_after_it_was_failed_for_lateness_shows_completed()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        await AcceptedAsync("b-late", clock.GetUtcNow() - TimeSpan.FromHours(1));
        await new BatchDeadlineWatch(Batches, new GatewayOptions(), clock, NullLogger<BatchDeadlineWatch>.Instance).FailOverdueAsync(CancellationToken.None);

        await Batches.CompleteAsync(TestData.Chiyoda, "b-late", 1, clock.GetUtcNow(), CancellationToken.None);

        var late = await (await _chiyoda.GetAsync("/api/v1/batches/b-late")).JsonAsync();
        Assert.Equal("completed", (string?)late["status"]);
        Assert.Null((string?)late["failure"]);
    }

    [Fact]
    public async Task A_failed_batch_posted_again_is_accepted_again_and_completes_storing_its_rows_once()
    {
        var person = TestData.MyNumber(11);
        var body = TestData.Batch("b-again", TestData.CertificateRow(person, "H-1"));
        Assert.Equal(HttpStatusCode.Accepted, (await _chiyoda.PublishAsync(TestData.Chiyoda, body)).StatusCode);
        Assert.Equal("completed", (string?)(await _chiyoda.WaitForBatchAsync("b-again"))["status"]);
        var gateway = _hub.Services.GetRequiredKeyedService<Pmh.Hosting.Storage.ServiceDatabase>(GatewayServiceExtensions.DatabaseName);
        await gateway.RunAsync(
            (connection, ct) => Dapper.SqlMapper.ExecuteAsync(connection, new Dapper.CommandDefinition(
                "UPDATE gateway_batches SET status = 'failed', failure = 'not applied in time' WHERE batch_id = 'b-again'", cancellationToken: ct)),
            CancellationToken.None);

        var again = await _chiyoda.PublishAsync(TestData.Chiyoda, body);

        Assert.True(again.IsSuccessStatusCode, $"posting again answered {(int)again.StatusCode}");
        Assert.Equal("accepted", (string?)(await again.JsonAsync())["status"]);
        var batch = await _chiyoda.WaitForBatchAsync("b-again");
        Assert.Equal("completed", (string?)batch["status"]);
        Assert.Equal(1, (int?)batch["acceptedCount"]);
        Assert.Null((string?)batch["failure"]);
    }

    [Fact]
    public void The_watch_looks_a_tenth_of_the_deadline_apart_between_a_second_and_a_minute()
    {
        Assert.Equal(TimeSpan.FromMinutes(1), Watch(TimeSpan.FromHours(2)).Interval);
        Assert.Equal(TimeSpan.FromSeconds(30), Watch(TimeSpan.FromMinutes(5)).Interval);
        Assert.Equal(TimeSpan.FromSeconds(1), Watch(TimeSpan.FromSeconds(3)).Interval);

        BatchDeadlineWatch Watch(TimeSpan deadline) =>
            new(Batches, new GatewayOptions { BatchDeadline = deadline }, TimeProvider.System, NullLogger<BatchDeadlineWatch>.Instance);
    }
}
