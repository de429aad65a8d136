using Pmh.Contracts.Audit;

namespace Pmh.Audit.Tests;

/// <summary>Sample access events as the gateway publishes them.</summary>
internal static class AuditEvents
{
    public static readonly DateTimeOffset Start = new(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);

    public static AccessRecorded Make(string? person = "person-alice", int minute = 0, string outcome = AccessOutcomes.Disclosed) => new()
    {
        EventId = Guid.NewGuid(),
        OccurredAt = Start.AddMinutes(minute),
        ParticipantId = "institution-1310000001",
        ParticipantName = "Minato Clinic",
        ParticipantRole = "institution",
        ParticipantCode = "1310000001",
        PersonKey = person,
        Kinds = ["subsidy", "vaccination"],
        Purpose = "receptionCheck",
        Outcome = outcome,
        Detail = outcome == AccessOutcomes.CardRejected ? "expired" : null,
    };
}
