namespace Pmh.Vaccination.Domain;

/// <summary>
/// A dose on the register. <paramref name="Vaccine"/> is a product code of the schedule table (e.g. <c>MR</c>,
/// <c>DPT-IPV-HIB</c>, <c>ROTA-1</c>). <paramref name="DoseNumber"/> is what was recorded; evaluation does not trust
/// it and counts doses by date instead.
/// </summary>
public sealed record GivenDose(string Vaccine, int DoseNumber, DateOnly Date);

/// <summary>Where a person stands in one series on the service date.</summary>
public enum ScheduleStatus
{
    /// <summary>Every dose given (a recurring series: in the current fiscal year or season).</summary>
    Complete,

    /// <summary>The next dose can be given now within the funded window: DueFrom ≤ service date ≤ DueUntil.</summary>
    Due,

    /// <summary>The next dose is not yet due; it is from DueFrom (until DueUntil).</summary>
    NotYetDue,

    /// <summary>Not complete, and no remaining dose can still be given within its funded window.</summary>
    PastWindow,
}

/// <summary>
/// One series of the schedule for one person on one date. <see cref="NextDose"/> is the dose number within the
/// applicable course (null when complete); <see cref="DueFrom"/> and <see cref="DueUntil"/> are inclusive dates of the
/// next dose (for <see cref="ScheduleStatus.PastWindow"/>: no DueFrom, and DueUntil the last day the missed dose was
/// funded, when it ever was).
/// </summary>
public sealed record VaccineEligibility(
    string Series,
    string Name,
    string Programme,
    ScheduleStatus Status,
    int? NextDose,
    DateOnly? DueFrom,
    DateOnly? DueUntil);

/// <summary>A series as the table describes it: code, name, programme and the products that count towards it.</summary>
public sealed record ScheduleSeries(string Code, string Name, string Programme, IReadOnlyList<string> Products);
