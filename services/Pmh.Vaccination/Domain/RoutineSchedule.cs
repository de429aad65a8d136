namespace Pmh.Vaccination.Domain;

/// <summary>
/// The routine vaccination schedule (定期接種) as a versioned table (<c>Domain/Schedules/routine-schedule.json</c>): which
/// series exist, which products count towards each, the courses, dose ages and intervals, and the funded windows.
/// Each version is in force from its effective date to the day before the next version's; a change of the law is a
/// new version (an amendment in the table), and an evaluation uses the version in force on the service date.
/// A new vaccine or a changed window is a change to the table, not to this code. Immutable and thread-safe.
/// </summary>
public sealed class RoutineSchedule
{
    private const string DefaultResourceSuffix = ".Schedules.routine-schedule.json";

    private static readonly Lazy<RoutineSchedule> DefaultSchedule = new(LoadDefault);

    private readonly IReadOnlyList<RoutineScheduleVersion> _versions;

    internal RoutineSchedule(IReadOnlyList<RoutineScheduleVersion> versions)
    {
        _versions = versions;
        Versions = versions
            .Select((v, i) => new ScheduleVersionInfo(
                v.Version, v.EffectiveFrom, i + 1 < versions.Count ? versions[i + 1].EffectiveFrom.AddDays(-1) : null))
            .ToList();
        ProductCodes = versions.SelectMany(v => v.ProductCodes).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Every product code any version of the table knows, in ordinal order.</summary>
    public IReadOnlyList<string> ProductCodes { get; }

    /// <summary>Whether some version of the table knows the product code (case as the table matches it).</summary>
    public bool Knows(string vaccine) => Product(vaccine) is not null;

    /// <summary>The newest version of the table (e.g. <c>2026-04</c>).</summary>
    public string Version => _versions[^1].Version;

    /// <summary>Every version of the table, oldest first, with the dates it is in force.</summary>
    public IReadOnlyList<ScheduleVersionInfo> Versions { get; }

    /// <summary>The series of the newest version, in table order.</summary>
    public IReadOnlyList<ScheduleSeries> Series => _versions[^1].Series;

    /// <summary>The table embedded in this assembly, loaded once.</summary>
    public static RoutineSchedule Default => DefaultSchedule.Value;

    /// <summary>Loads a table. Throws <see cref="RoutineScheduleException"/> naming the bad entry when it is invalid.</summary>
    public static RoutineSchedule Load(Stream json) => RoutineScheduleLoader.Load(json);

    /// <summary>
    /// The version in force on <paramref name="date"/>. The table holds no law before its first version: a date before
    /// it is evaluated with the first version (transitional windows there carry their own dates).
    /// </summary>
    public string VersionOn(DateOnly date) => VersionRules(date).Version;

    /// <summary>The series of the version in force on <paramref name="date"/>, in table order.</summary>
    public IReadOnlyList<ScheduleSeries> SeriesOn(DateOnly date) => VersionRules(date).Series;

    /// <summary>The HOT9 code of a product, when the table has one (the newest version that knows the code).</summary>
    public string? Hot9For(string vaccine) => Product(vaccine)?.Hot9;

    /// <summary>The name of a product, or null for a code the table does not know.</summary>
    public string? NameFor(string vaccine) => Product(vaccine)?.Name;

    /// <summary>The series a product counts towards in the newest version (empty for a code the table does not know).</summary>
    public IReadOnlyList<string> SeriesFor(string vaccine) => _versions[^1].Product(vaccine)?.Series ?? [];

    /// <summary>
    /// Where the person stands in every series on <paramref name="serviceDate"/>, by the version in force that day: one
    /// entry per series, in table order. Doses are counted per series by distinct date in date order (the recorded dose
    /// number is not trusted); doses of products the table does not know, dated after the service date or before birth,
    /// are ignored. Doses given before the minimum age or interval still count: the register records what was given.
    /// </summary>
    public IReadOnlyList<VaccineEligibility> Evaluate(DateOnly birthDate, DateOnly serviceDate, IEnumerable<GivenDose> doses)
    {
        ArgumentNullException.ThrowIfNull(doses);
        if (serviceDate < birthDate)
        {
            throw new ArgumentOutOfRangeException(
                nameof(serviceDate), serviceDate, $"The service date is before the birth date {birthDate:yyyy-MM-dd}.");
        }

        return VersionRules(serviceDate).Evaluate(birthDate, serviceDate, doses);
    }

    private RoutineScheduleVersion VersionRules(DateOnly date) =>
        _versions.LastOrDefault(v => v.EffectiveFrom <= date) ?? _versions[0];

    private ProductRule? Product(string vaccine)
    {
        for (var i = _versions.Count - 1; i >= 0; i--)
        {
            if (_versions[i].Product(vaccine) is { } product)
            {
                return product;
            }
        }

        return null;
    }

    private static RoutineSchedule LoadDefault()
    {
        var assembly = typeof(RoutineSchedule).Assembly;
        var name = assembly.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith(DefaultResourceSuffix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The embedded routine schedule (*{DefaultResourceSuffix}) is missing from {assembly.GetName().Name}.");
        using var stream = assembly.GetManifestResourceStream(name)!;
        return Load(stream);
    }
}

/// <summary>A version of the table and the dates it is in force (inclusive; no end for the newest).</summary>
public sealed record ScheduleVersionInfo(string Version, DateOnly EffectiveFrom, DateOnly? EffectiveUntil);

/// <summary>One version of the table: its series and products.</summary>
internal sealed class RoutineScheduleVersion
{
    private readonly IReadOnlyList<SeriesRule> _series;
    private readonly Dictionary<string, ProductRule> _products;

    public RoutineScheduleVersion(string version, DateOnly effectiveFrom, IReadOnlyList<SeriesRule> series, IReadOnlyList<ProductRule> products)
    {
        Version = version;
        EffectiveFrom = effectiveFrom;
        _series = series;
        _products = products.ToDictionary(p => p.Code, StringComparer.OrdinalIgnoreCase);
        Series = series.Select(s => new ScheduleSeries(s.Code, s.Name, s.Programme, s.Products)).ToList();
    }

    public string Version { get; }

    public DateOnly EffectiveFrom { get; }

    public IReadOnlyList<ScheduleSeries> Series { get; }

    public IEnumerable<string> ProductCodes => _products.Keys;

    public ProductRule? Product(string vaccine) =>
        vaccine is not null && _products.TryGetValue(vaccine.Trim(), out var product) ? product : null;

    public IReadOnlyList<VaccineEligibility> Evaluate(DateOnly birthDate, DateOnly serviceDate, IEnumerable<GivenDose> doses)
    {
        var given = new List<(DateOnly Date, ProductRule Product)>();
        foreach (var dose in doses)
        {
            if (dose?.Vaccine is { } code && Product(code) is { } product && dose.Date >= birthDate && dose.Date <= serviceDate)
            {
                given.Add((dose.Date, product));
            }
        }

        var result = new List<VaccineEligibility>(_series.Count);
        foreach (var series in _series)
        {
            var counted = given
                .Where(g => g.Product.Series.Contains(series.Code, StringComparer.OrdinalIgnoreCase)
                    && series.Counts(g.Product.Code, birthDate, g.Date))
                .GroupBy(g => g.Date)
                .OrderBy(g => g.Key)
                .Select(g => new CountedDose(g.Key, g.Select(x => x.Product.Code).ToHashSet(StringComparer.OrdinalIgnoreCase)))
                .ToList();
            var outcome = ScheduleEvaluator.Evaluate(series, birthDate, serviceDate, counted);
            result.Add(new VaccineEligibility(
                series.Code, series.Name, series.Programme, outcome.Status, outcome.NextDose, outcome.DueFrom, outcome.DueUntil));
        }

        return result;
    }
}
