namespace Pmh.Vaccination.Domain;

/// <summary>The schedule table is invalid. <see cref="Entry"/> names the bad entry (e.g. <c>series 'VAR', course 'standard', dose 2</c>).</summary>
public sealed class RoutineScheduleException : FormatException
{
    public RoutineScheduleException()
        : this("routine schedule", "is invalid")
    {
    }

    public RoutineScheduleException(string message)
        : this("routine schedule", message)
    {
    }

    public RoutineScheduleException(string message, Exception innerException)
        : this("routine schedule", message, innerException)
    {
    }

    public RoutineScheduleException(string entry, string problem, Exception? innerException = null)
        : base($"Invalid routine schedule: {entry}: {problem}", innerException)
    {
        Entry = entry;
        Problem = problem;
    }

    /// <summary>The entry of the table at fault.</summary>
    public string Entry { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
