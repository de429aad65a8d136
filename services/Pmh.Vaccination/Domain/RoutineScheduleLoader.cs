using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Pmh.Vaccination.Domain;

/// <summary>Reads and checks the schedule table; every error names the entry at fault.</summary>
internal static partial class RoutineScheduleLoader
{
    private static readonly string[] Programmes = ["routineA", "routineB"];

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static RoutineSchedule Load(Stream json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new RoutineScheduleException(
                $"line {e.LineNumber + 1}", $"not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            ScheduleDocument? table;
            try
            {
                table = document.Deserialize<ScheduleDocument>(Options);
            }
            catch (JsonException e)
            {
                // System.Text.Json names the path; the message says what is wrong (an unknown field, a wrong type).
                var problem = e.Message.Contains("could not be mapped", StringComparison.Ordinal)
                    ? "is not a field the table knows (misspelt?)"
                    : $"has the wrong type or value ({e.Message})";
                throw new RoutineScheduleException(Describe(document.RootElement, e.Path), problem, e);
            }

            if (table is null)
            {
                throw new RoutineScheduleException("the table", "is empty (null)");
            }

            return Compile(table);
        }
    }

    private static RoutineSchedule Compile(ScheduleDocument table)
    {
        if (string.IsNullOrWhiteSpace(table.Version))
        {
            throw new RoutineScheduleException("the table", "'version' is required");
        }

        var effectiveFrom = table.EffectiveFrom is null
            ? throw new RoutineScheduleException("the table", "'effectiveFrom' (the date the version comes into force) is required")
            : DateOf(table.EffectiveFrom, "the table", "effectiveFrom");
        var products = table.Products is { Count: > 0 } p ? p : throw new RoutineScheduleException("the table", "'products' must list at least one product");
        var series = table.Series is { Count: > 0 } s ? s : throw new RoutineScheduleException("the table", "'series' must list at least one series");
        var versions = new List<RoutineScheduleVersion> { CompileVersion(table.Version, effectiveFrom, products, series) };

        var names = new HashSet<string>(StringComparer.Ordinal) { table.Version };
        foreach (var (amendment, i) in (table.Amendments ?? []).Select((a, i) => (a, i)))
        {
            var entry = $"amendment #{i + 1}";
            if (amendment is null || string.IsNullOrWhiteSpace(amendment.Version))
            {
                throw new RoutineScheduleException(entry, "'version' is required");
            }

            entry = $"amendment '{amendment.Version}'";
            if (!names.Add(amendment.Version))
            {
                throw new RoutineScheduleException(entry, "the version appears more than once");
            }

            var from = amendment.EffectiveFrom is null
                ? throw new RoutineScheduleException(entry, "'effectiveFrom' (the date the version comes into force) is required")
                : DateOf(amendment.EffectiveFrom, entry, "effectiveFrom");
            if (from <= versions[^1].EffectiveFrom)
            {
                throw new RoutineScheduleException(entry, $"'effectiveFrom' must be after the previous version's ({versions[^1].EffectiveFrom:yyyy-MM-dd})");
            }

            // An amendment lists the products and series it replaces (same code) or adds; the rest carry over.
            products = Amend(products, amendment.Products, d => d?.Code, entry, "product");
            series = Amend(series, amendment.Series, d => d?.Code, entry, "series");
            try
            {
                versions.Add(CompileVersion(amendment.Version, from, products, series));
            }
            catch (RoutineScheduleException e)
            {
                throw new RoutineScheduleException($"{entry}, {e.Entry}", e.Problem, e);
            }
        }

        return new RoutineSchedule(versions);
    }

    private static List<T?> Amend<T>(List<T?> current, List<T?>? changes, Func<T?, string?> code, string entry, string kind)
        where T : class
    {
        var result = new List<T?>(current);
        foreach (var change in changes ?? [])
        {
            var key = code(change);
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new RoutineScheduleException(entry, $"a {kind} without 'code'");
            }

            var at = result.FindIndex(x => string.Equals(code(x), key, StringComparison.OrdinalIgnoreCase));
            if (at >= 0)
            {
                result[at] = change;
            }
            else
            {
                result.Add(change);
            }
        }

        return result;
    }

    private static RoutineScheduleVersion CompileVersion(string version, DateOnly effectiveFrom, List<ProductDocument?> productDocs, List<SeriesDocument?> seriesDocs)
    {
        var seriesCodes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < seriesDocs.Count; i++)
        {
            var code = seriesDocs[i]?.Code;
            if (string.IsNullOrWhiteSpace(code))
            {
                throw new RoutineScheduleException($"series #{i + 1}", "'code' is required");
            }

            if (!seriesCodes.Add(code))
            {
                throw new RoutineScheduleException($"series '{code}'", "the code appears more than once");
            }
        }

        var products = new List<ProductRule>();
        var productCodes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < productDocs.Count; i++)
        {
            var doc = productDocs[i];
            if (string.IsNullOrWhiteSpace(doc?.Code))
            {
                throw new RoutineScheduleException($"product #{i + 1}", "'code' is required");
            }

            var entry = $"product '{doc.Code}'";
            if (!productCodes.Add(doc.Code))
            {
                throw new RoutineScheduleException(entry, "the code appears more than once");
            }

            if (string.IsNullOrWhiteSpace(doc.Name))
            {
                throw new RoutineScheduleException(entry, "'name' is required");
            }

            if (doc.Hot9 is not null && !Hot9Pattern().IsMatch(doc.Hot9))
            {
                throw new RoutineScheduleException(entry, $"'hot9' \"{doc.Hot9}\" is not a 9-digit HOT9 code");
            }

            if (doc.Series is not { Count: > 0 })
            {
                throw new RoutineScheduleException(entry, "'series' must name at least one series it counts towards");
            }

            foreach (var series in doc.Series)
            {
                if (series is null || !seriesCodes.Contains(series))
                {
                    throw new RoutineScheduleException(entry, $"counts towards series '{series}', which the table does not define");
                }
            }

            products.Add(new ProductRule(
                doc.Code, doc.Name, doc.Hot9, doc.Series.Select(c => seriesCodes.First(x => string.Equals(x, c, StringComparison.OrdinalIgnoreCase))).ToList()));
        }

        var compiled = seriesDocs.Select(doc => CompileSeries(doc!, products)).ToList();
        return new RoutineScheduleVersion(version, effectiveFrom, compiled, products);
    }

    private static SeriesRule CompileSeries(SeriesDocument doc, IReadOnlyList<ProductRule> products)
    {
        var entry = $"series '{doc.Code}'";
        if (string.IsNullOrWhiteSpace(doc.Name))
        {
            throw new RoutineScheduleException(entry, "'name' is required");
        }

        if (doc.Programme is null || !Programmes.Contains(doc.Programme, StringComparer.Ordinal))
        {
            throw new RoutineScheduleException(entry, $"'programme' \"{doc.Programme}\" must be one of {string.Join(", ", Programmes)}");
        }

        var recurrence = doc.Recurrence switch
        {
            null or "once" => Recurrence.Once,
            "perFiscalYear" => Recurrence.PerFiscalYear,
            "perSeason" => Recurrence.PerSeason,
            _ => throw new RoutineScheduleException(entry, $"'recurrence' \"{doc.Recurrence}\" must be once, perFiscalYear or perSeason"),
        };

        SeasonRule? season = null;
        if (recurrence == Recurrence.PerSeason)
        {
            season = doc.Season is { } s
                ? new SeasonRule(MonthOf(s.Start, entry, "season.start"), DayOf(s.Start, entry, "season.start"), MonthOf(s.End, entry, "season.end"), DayOf(s.End, entry, "season.end"))
                : throw new RoutineScheduleException(entry, "'season' (start and end as \"MM-dd\") is required with recurrence perSeason");
        }
        else if (doc.Season is not null)
        {
            throw new RoutineScheduleException(entry, "'season' applies only with recurrence perSeason");
        }

        var counting = products.Where(p => p.Series.Contains(doc.Code!, StringComparer.OrdinalIgnoreCase)).Select(p => p.Code).ToList();
        if (counting.Count == 0)
        {
            throw new RoutineScheduleException(entry, "no product counts towards it");
        }

        var seriesWindows = doc.Windows is null ? null : CompileWindows(doc.Windows, entry);
        if (doc.Courses is not { Count: > 0 })
        {
            throw new RoutineScheduleException(entry, "'courses' must list at least one course");
        }

        var courseNames = new HashSet<string>(StringComparer.Ordinal);
        var courses = new List<CourseRule>();
        for (var i = 0; i < doc.Courses.Count; i++)
        {
            var course = doc.Courses[i] ?? throw new RoutineScheduleException($"{entry}, course #{i + 1}", "is null");
            if (string.IsNullOrWhiteSpace(course.Name))
            {
                throw new RoutineScheduleException($"{entry}, course #{i + 1}", "'name' is required");
            }

            if (!courseNames.Add(course.Name))
            {
                throw new RoutineScheduleException($"{entry}, course '{course.Name}'", "the name appears more than once");
            }

            courses.Add(CompileCourse(course, $"{entry}, course '{course.Name}'", seriesWindows, counting));
        }

        Dictionary<string, AgeSpan>? countsFromAge = null;
        if (doc.CountsFromAge is not null)
        {
            countsFromAge = new Dictionary<string, AgeSpan>(StringComparer.OrdinalIgnoreCase);
            foreach (var (product, age) in doc.CountsFromAge)
            {
                if (!counting.Contains(product, StringComparer.OrdinalIgnoreCase))
                {
                    throw new RoutineScheduleException(entry, $"'countsFromAge' names product '{product}', which does not count towards this series");
                }

                countsFromAge[product] = AgeSpan.Parse(age, entry, $"countsFromAge.{product}");
            }
        }

        return new SeriesRule(doc.Code!, doc.Name, doc.Programme, recurrence, season, courses, counting, countsFromAge);
    }

    private static CourseRule CompileCourse(CourseDocument doc, string entry, IReadOnlyList<WindowRule>? seriesWindows, IReadOnlyList<string> counting)
    {
        HashSet<string>? courseProducts = null;
        if (doc.Products is not null)
        {
            if (doc.Products.Count == 0)
            {
                throw new RoutineScheduleException(entry, "'products', when given, must list at least one product");
            }

            courseProducts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var product in doc.Products)
            {
                if (product is null || !counting.Contains(product, StringComparer.OrdinalIgnoreCase))
                {
                    throw new RoutineScheduleException(entry, $"product '{product}' does not count towards this series");
                }

                courseProducts.Add(product);
            }
        }

        var firstFrom = doc.FirstDoseAge?.From is { } f ? AgeSpan.Parse(f, entry, "firstDoseAge.from") : (AgeSpan?)null;
        var firstUntil = doc.FirstDoseAge?.Until is { } u ? AgeSpan.Parse(u, entry, "firstDoseAge.until") : (AgeSpan?)null;
        if (doc.FirstDoseAge is not null && firstFrom is null && firstUntil is null)
        {
            throw new RoutineScheduleException(entry, "'firstDoseAge' needs 'from', 'until' or both");
        }

        if (firstFrom is { } a && firstUntil is { } b && a.CompareLength(b) >= 0)
        {
            throw new RoutineScheduleException(entry, "'firstDoseAge.from' must be below 'firstDoseAge.until'");
        }

        var courseWindows = doc.Windows is null ? seriesWindows : CompileWindows(doc.Windows, entry);
        if (doc.Doses is not { Count: > 0 })
        {
            throw new RoutineScheduleException(entry, "'doses' must list at least one dose");
        }

        var doses = new List<DoseRule>();
        for (var i = 0; i < doc.Doses.Count; i++)
        {
            var doseEntry = $"{entry}, dose {i + 1}";
            var dose = doc.Doses[i] ?? throw new RoutineScheduleException(doseEntry, "is null");
            if (i == 0 && (dose.MinInterval is not null || dose.MinIntervalFromFirst is not null || dose.MinIntervalAfterOmission is not null
                || dose.Omit?.PreviousAfterAge is not null || dose.Omit?.PreviousIntervalAtLeast is not null))
            {
                throw new RoutineScheduleException(doseEntry, "the first dose has no previous dose: 'minInterval', 'minIntervalFromFirst', 'minIntervalAfterOmission' and 'omit' on a previous dose do not apply");
            }

            var windows = dose.Windows is null ? courseWindows : CompileWindows(dose.Windows, doseEntry);
            if (windows is not { Count: > 0 })
            {
                throw new RoutineScheduleException(doseEntry, "has no funded window ('windows' on the dose, its course or its series)");
            }

            doses.Add(new DoseRule(
                dose.MinAge is null ? null : AgeSpan.Parse(dose.MinAge, doseEntry, "minAge"),
                dose.MinInterval is null ? null : AgeSpan.Parse(dose.MinInterval, doseEntry, "minInterval"),
                dose.MinIntervalFromFirst is null ? null : AgeSpan.Parse(dose.MinIntervalFromFirst, doseEntry, "minIntervalFromFirst"),
                windows,
                CompileOmit(dose.Omit, doseEntry, i),
                dose.MinIntervalAfterOmission is null ? null : AgeSpan.Parse(dose.MinIntervalAfterOmission, doseEntry, "minIntervalAfterOmission")));
        }

        return new CourseRule(doc.Name!, courseProducts, firstFrom, firstUntil, doses);
    }

    private static OmitRule? CompileOmit(OmitDocument? doc, string entry, int index)
    {
        if (doc is null)
        {
            return null;
        }

        if (doc.IfPastWindow is not true && doc.PreviousAfterAge is null && doc.PreviousIntervalAtLeast is null)
        {
            throw new RoutineScheduleException(entry, "'omit' needs 'ifPastWindow', 'previousAfterAge' or 'previousIntervalAtLeast'");
        }

        if (doc.PreviousIntervalAtLeast is not null && index < 2)
        {
            throw new RoutineScheduleException(entry, "'omit.previousIntervalAtLeast' needs two doses before this one");
        }

        return new OmitRule(
            doc.IfPastWindow is true,
            doc.PreviousAfterAge is null ? null : AgeSpan.Parse(doc.PreviousAfterAge, entry, "omit.previousAfterAge"),
            doc.PreviousIntervalAtLeast is null ? null : AgeSpan.Parse(doc.PreviousIntervalAtLeast, entry, "omit.previousIntervalAtLeast"));
    }

    private static List<WindowRule> CompileWindows(List<WindowDocument?> docs, string owner)
    {
        if (docs.Count == 0)
        {
            throw new RoutineScheduleException(owner, "'windows', when given, must list at least one window");
        }

        var windows = new List<WindowRule>();
        for (var i = 0; i < docs.Count; i++)
        {
            var entry = $"{owner}, window {i + 1}";
            var doc = docs[i] ?? throw new RoutineScheduleException(entry, "is null");
            if (doc.FromAge is null && doc.UntilAge is null && doc.FromFiscalYearOfAge is null && doc.ToFiscalYearOfAge is null
                && doc.FromDate is null && doc.ToDate is null && doc.BornFrom is null && doc.BornTo is null)
            {
                throw new RoutineScheduleException(entry, "needs at least one bound (fromAge, untilAge, fromFiscalYearOfAge, toFiscalYearOfAge, fromDate, toDate, bornFrom, bornTo)");
            }

            var fromAge = doc.FromAge is null ? (AgeSpan?)null : AgeSpan.Parse(doc.FromAge, entry, "fromAge");
            var untilAge = doc.UntilAge is null ? (AgeSpan?)null : AgeSpan.Parse(doc.UntilAge, entry, "untilAge");
            if (fromAge is { } from && untilAge is { } until && from.CompareLength(until) >= 0)
            {
                throw new RoutineScheduleException(entry, $"'fromAge' \"{doc.FromAge}\" must be below 'untilAge' \"{doc.UntilAge}\"");
            }

            foreach (var (years, field) in new[] { (doc.FromFiscalYearOfAge, "fromFiscalYearOfAge"), (doc.ToFiscalYearOfAge, "toFiscalYearOfAge") })
            {
                if (years is < 0 or > 150)
                {
                    throw new RoutineScheduleException(entry, $"'{field}' {years} must be an age in years between 0 and 150");
                }
            }

            if (doc.FromFiscalYearOfAge > doc.ToFiscalYearOfAge)
            {
                throw new RoutineScheduleException(entry, "'fromFiscalYearOfAge' must not be above 'toFiscalYearOfAge'");
            }

            var fromDate = doc.FromDate is null ? (DateOnly?)null : DateOf(doc.FromDate, entry, "fromDate");
            var toDate = doc.ToDate is null ? (DateOnly?)null : DateOf(doc.ToDate, entry, "toDate");
            if (fromDate > toDate)
            {
                throw new RoutineScheduleException(entry, "'fromDate' must not be after 'toDate'");
            }

            var bornFrom = doc.BornFrom is null ? (DateOnly?)null : DateOf(doc.BornFrom, entry, "bornFrom");
            var bornTo = doc.BornTo is null ? (DateOnly?)null : DateOf(doc.BornTo, entry, "bornTo");
            if (bornFrom > bornTo)
            {
                throw new RoutineScheduleException(entry, "'bornFrom' must not be after 'bornTo'");
            }

            windows.Add(new WindowRule(fromAge, untilAge, doc.FromFiscalYearOfAge, doc.ToFiscalYearOfAge, fromDate, toDate, bornFrom, bornTo));
        }

        return windows;
    }

    private static DateOnly DateOf(string text, string entry, string field) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new RoutineScheduleException(entry, $"'{field}' \"{text}\" is not a date (yyyy-MM-dd)");

    private static int MonthOf(string? text, string entry, string field) => MonthDay(text, entry, field).Month;

    private static int DayOf(string? text, string entry, string field) => MonthDay(text, entry, field).Day;

    private static (int Month, int Day) MonthDay(string? text, string entry, string field)
    {
        // A common year, so that 29 February is refused: a season must exist every year.
        if (text is not null && DateOnly.TryParseExact($"2001-{text}", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return (date.Month, date.Day);
        }

        throw new RoutineScheduleException(entry, $"'{field}' \"{text}\" is not a month and day (MM-dd, not 02-29)");
    }

    /// <summary>Turns a JSON path such as <c>$.series[3].courses[0].doses[1].minAge</c> into the entry's names.</summary>
    private static string Describe(JsonElement root, string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "the table";
        }

        var parts = new List<string>();
        var element = (JsonElement?)root;
        string? container = null;
        foreach (Match token in PathToken().Matches(path))
        {
            if (token.Groups["index"].Success)
            {
                var index = int.Parse(token.Groups["index"].Value, CultureInfo.InvariantCulture);
                element = element is { ValueKind: JsonValueKind.Array } array && index < array.GetArrayLength() ? array[index] : null;
                var label = element is { ValueKind: JsonValueKind.Object } item
                    && (item.TryGetProperty("code", out var code) || item.TryGetProperty("name", out code) || item.TryGetProperty("version", out code))
                    && code.ValueKind == JsonValueKind.String
                        ? $"'{code.GetString()}'"
                        : (index + 1).ToString(CultureInfo.InvariantCulture);
                parts.Add(container switch
                {
                    "series" => $"series {label}",
                    "products" => $"product {label}",
                    "courses" => $"course {label}",
                    "doses" => $"dose {index + 1}",
                    "windows" => $"window {index + 1}",
                    "amendments" => $"amendment {label}",
                    _ => $"{container} item {index + 1}",
                });
                container = null;
            }
            else
            {
                if (container is not null)
                {
                    parts.Add($"'{container}'");
                }

                container = token.Groups["name"].Value;
                element = element is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(container, out var child) ? child : null;
            }
        }

        if (container is not null)
        {
            parts.Add($"'{container}'");
        }

        return parts.Count == 0 ? "the table" : string.Join(", ", parts);
    }

    [GeneratedRegex(@"^\d{9}$", RegexOptions.CultureInvariant)]
    private static partial Regex Hot9Pattern();

    [GeneratedRegex(@"\.(?<name>[A-Za-z_][A-Za-z0-9_]*)|\['(?<name>[^']+)'\]|\[(?<index>\d+)\]", RegexOptions.CultureInvariant)]
    private static partial Regex PathToken();

    // The table as written; "_notes" may annotate any object.
    private sealed class ScheduleDocument
    {
        public string? Version { get; set; }

        public string? EffectiveFrom { get; set; }

        public List<AmendmentDocument?>? Amendments { get; set; }

        [JsonPropertyName("_notes")]
        public JsonElement? Notes { get; set; }

        public List<ProductDocument?>? Products { get; set; }

        public List<SeriesDocument?>? Series { get; set; }
    }

    // A later version: the products and series it replaces (same code) or adds.
    private sealed class AmendmentDocument
    {
        public string? Version { get; set; }

        public string? EffectiveFrom { get; set; }

        [JsonPropertyName("_notes")]
        public JsonElement? Notes { get; set; }

        public List<ProductDocument?>? Products { get; set; }

        public List<SeriesDocument?>? Series { get; set; }
    }

    private sealed class ProductDocument
    {
        public string? Code { get; set; }

        public string? Name { get; set; }

        public string? Hot9 { get; set; }

        public List<string?>? Series { get; set; }

        [JsonPropertyName("_notes")]
        public JsonElement? Notes { get; set; }
    }

    private sealed class SeriesDocument
    {
        public string? Code { get; set; }

        public string? Name { get; set; }

        public string? Programme { get; set; }

        public string? Recurrence { get; set; }

        public SeasonDocument? Season { get; set; }

        public Dictionary<string, string>? CountsFromAge { get; set; }

        public List<WindowDocument?>? Windows { get; set; }

        public List<CourseDocument?>? Courses { get; set; }

        [JsonPropertyName("_notes")]
        public JsonElement? Notes { get; set; }
    }

    private sealed class SeasonDocument
    {
        public string? Start { get; set; }

        public string? End { get; set; }
    }

    private sealed class CourseDocument
    {
        public string? Name { get; set; }

        public List<string?>? Products { get; set; }

        public AgeRangeDocument? FirstDoseAge { get; set; }

        public List<WindowDocument?>? Windows { get; set; }

        public List<DoseDocument?>? Doses { get; set; }

        [JsonPropertyName("_notes")]
        public JsonElement? Notes { get; set; }
    }

    private sealed class OmitDocument
    {
        public bool? IfPastWindow { get; set; }

        public string? PreviousAfterAge { get; set; }

        public string? PreviousIntervalAtLeast { get; set; }

        [JsonPropertyName("_notes")]
        public JsonElement? Notes { get; set; }
    }

    private sealed class AgeRangeDocument
    {
        public string? From { get; set; }

        public string? Until { get; set; }
    }

    private sealed class DoseDocument
    {
        public string? MinAge { get; set; }

        public string? MinInterval { get; set; }

        public string? MinIntervalFromFirst { get; set; }

        public string? MinIntervalAfterOmission { get; set; }

        public OmitDocument? Omit { get; set; }

        public List<WindowDocument?>? Windows { get; set; }

        [JsonPropertyName("_notes")]
        public JsonElement? Notes { get; set; }
    }

    private sealed class WindowDocument
    {
        public string? FromAge { get; set; }

        public string? UntilAge { get; set; }

        public int? FromFiscalYearOfAge { get; set; }

        public int? ToFiscalYearOfAge { get; set; }

        public string? FromDate { get; set; }

        public string? ToDate { get; set; }

        public string? BornFrom { get; set; }

        public string? BornTo { get; set; }

        [JsonPropertyName("_notes")]
        public JsonElement? Notes { get; set; }
    }
}
