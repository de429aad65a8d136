namespace Pmh.Hosting;

/// <summary>Which of the hub's services this process runs (<c>--services all</c> or <c>--services gateway,subsidy</c>).</summary>
public sealed class ServiceSelection
{
    private readonly HashSet<string> _selected;

    private ServiceSelection(IReadOnlyList<string> known, HashSet<string> selected)
    {
        Known = known;
        _selected = selected;
    }

    public IReadOnlyList<string> Known { get; }

    public IReadOnlyCollection<string> Selected => _selected;

    public bool IsAll => _selected.Count == Known.Count;

    public bool Contains(string service) => _selected.Contains(service);

    /// <summary>Parses <paramref name="value"/>; unknown names are refused with the list of known ones.</summary>
    public static ServiceSelection Parse(string? value, IReadOnlyList<string> known)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return new ServiceSelection(known, new HashSet<string>(known, StringComparer.OrdinalIgnoreCase));
        }

        var selected = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = known.FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? throw new PmhConfigurationException(
                    $"--services: unknown service '{name}'. Known services: all, {string.Join(", ", known)}.");
            selected.Add(match);
        }

        if (selected.Count == 0)
        {
            throw new PmhConfigurationException("--services: name at least one service, or 'all'.");
        }

        return new ServiceSelection(known, selected);
    }

    public override string ToString() => IsAll ? "all (" + string.Join(", ", Known) + ")" : string.Join(", ", _selected);
}

/// <summary>A configuration the hub refuses to start with; the message says what to change.</summary>
public sealed class PmhConfigurationException(string message) : Exception(message);
