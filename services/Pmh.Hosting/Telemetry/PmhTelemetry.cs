using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Pmh.Hosting.Telemetry;

/// <summary>
/// The hub's own spans and instruments (ActivitySource and Meter <see cref="Name"/>), beside what ASP.NET Core,
/// MassTransit (<c>MassTransit</c>), Npgsql and SqlClient emit. Tags carry kinds, outcomes and queue names only: never
/// a My Number, a person key, a name or a date of birth.
/// </summary>
public static class PmhTelemetry
{
    public const string Name = "Pmh.Hub";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Reception checks answered, by <c>outcome</c> (completed, rejected, verificationUnavailable, lookupsUnavailable) and <c>reason</c>.</summary>
    public static readonly Counter<long> ReceptionChecks = Meter.CreateCounter<long>(
        "pmh.reception.checks", unit: "{check}", description: "Reception checks answered, by outcome");

    /// <summary>How long one kind's lookup took, by <c>kind</c> and <c>status</c> (provided, unavailable).</summary>
    public static readonly Histogram<double> LookupDuration = Meter.CreateHistogram<double>(
        "pmh.reception.lookup.duration", unit: "s", description: "Duration of one kind's lookup in a reception check",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5] });

    /// <summary>Card verification of a reception check, by <c>outcome</c>.</summary>
    public static readonly Histogram<double> VerificationDuration = Meter.CreateHistogram<double>(
        "pmh.reception.verification.duration", unit: "s", description: "Duration of card verification in a reception check",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    /// <summary>Rows of municipal batches, by <c>kind</c> and <c>stage</c> (staged: a part arrived; applied: stored with its batch).</summary>
    public static readonly Counter<long> BatchRows = Meter.CreateCounter<long>(
        "pmh.batch.rows", unit: "{row}", description: "Municipal batch rows staged and applied");

    /// <summary>Time from a message's commit into a service's outbox to the broker taking it, by <c>database</c>.</summary>
    public static readonly Histogram<double> OutboxLag = Meter.CreateHistogram<double>(
        "pmh.outbox.lag", unit: "s", description: "Time a message waited in its outbox before the bus took it",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });

    /// <summary>Consume attempts that faulted, by <c>message_type</c> and <c>exception_type</c> (each retry counts).</summary>
    public static readonly Counter<long> ConsumerFaults = Meter.CreateCounter<long>(
        "pmh.bus.consumer.faults", unit: "{fault}", description: "Consume attempts that threw, retries included");

    /// <summary>Span names of the reception check.</summary>
    public const string ReceptionCheckSpan = "reception check";

    public const string VerificationSpan = "reception verify";

    public const string LookupSpanPrefix = "reception lookup ";

    public static double Seconds(TimeSpan elapsed) => elapsed.TotalSeconds;
}
