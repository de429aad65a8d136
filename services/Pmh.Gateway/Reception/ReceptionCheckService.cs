using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Pmh.Contracts.Identity;
using Pmh.Gateway.Storage;
using Pmh.Hosting.Privacy;
using Pmh.Hosting.Telemetry;
using Pmh.Modules.Participants;
using Pmh.Modules.Reception;

namespace Pmh.Gateway.Reception;

public abstract record CheckOutcome
{
    /// <summary>The aggregate answer, and how long verification and the lookups took (for Server-Timing).</summary>
    public sealed record Completed(JsonObject Answer, TimeSpan Verification, TimeSpan Lookups, IReadOnlyDictionary<string, TimeSpan> PerKind, string PersonKey)
        : CheckOutcome;

    /// <summary>The card was refused, with one reason code.</summary>
    public sealed record Rejected(string Reason) : CheckOutcome;

    /// <summary>The identity service did not answer in time; the desk may try again with a new challenge.</summary>
    public sealed record VerificationUnavailable : CheckOutcome;

    /// <summary>
    /// The card was verified, but not one consented lookup answered in time: nothing is disclosed and no check is kept
    /// (a check of nothing but "unavailable" parts would be no answer at all); the desk may try again.
    /// </summary>
    public sealed record LookupsUnavailable(string PersonKey, IReadOnlyList<string> Kinds) : CheckOutcome;
}

/// <summary>
/// The reception flow: verify the card over the bus, then ask every consented kind's lookup in parallel, each
/// within its own timeout, and answer with one aggregate carrying the institution-specific person reference.
/// </summary>
public sealed class ReceptionCheckService(
    IRequestClient<VerifyCardholder> verifier,
    IEnumerable<IReceptionLookup> lookups,
    ReceptionCheckStore checks,
    PersonKeys personKeys,
    ReceptionOptions options,
    TimeProvider timeProvider)
{
    public const string Provided = ReceptionParts.Provided;
    public const string NotConsented = ReceptionParts.NotConsented;
    public const string Unavailable = ReceptionParts.Unavailable;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// One check, as one span (<see cref="PmhTelemetry.ReceptionCheckSpan"/>) with the verification and each lookup as
    /// children, counted by outcome in <see cref="PmhTelemetry.ReceptionChecks"/>.
    /// </summary>
    public async Task<CheckOutcome> CheckAsync(
        Participant participant,
        Guid challengeId,
        byte[] certificate,
        byte[] signature,
        IReadOnlyDictionary<string, bool> consent,
        DateOnly serviceDate,
        CancellationToken cancellationToken)
    {
        using var span = PmhTelemetry.Source.StartActivity(PmhTelemetry.ReceptionCheckSpan);
        span?.SetTag("pmh.participant", participant.Id);
        span?.SetTag("pmh.consent", string.Join(",", consent.Where(c => c.Value).Select(c => c.Key).Order(StringComparer.Ordinal)));
        var outcome = await CheckCoreAsync(participant, challengeId, certificate, signature, consent, serviceDate, cancellationToken).ConfigureAwait(false);
        var (name, reason) = outcome switch
        {
            CheckOutcome.Completed => ("completed", null),
            CheckOutcome.Rejected rejected => ("rejected", rejected.Reason),
            CheckOutcome.VerificationUnavailable => ("verificationUnavailable", null),
            CheckOutcome.LookupsUnavailable => ("lookupsUnavailable", (string?)null),
            _ => ("unknown", null),
        };
        span?.SetTag("pmh.outcome", name);
        if (reason is not null)
        {
            span?.SetTag("pmh.reason", reason);
        }

        if (outcome is CheckOutcome.Completed completed)
        {
            span?.SetTag("pmh.check_id", completed.Answer["checkId"]?.ToJsonString().Trim('"'));
        }
        else
        {
            span?.SetStatus(ActivityStatusCode.Error, name);
        }

        PmhTelemetry.ReceptionChecks.Add(1, new KeyValuePair<string, object?>("outcome", name), new KeyValuePair<string, object?>("reason", reason ?? ""));
        return outcome;
    }

    private async Task<CheckOutcome> CheckCoreAsync(
        Participant participant,
        Guid challengeId,
        byte[] certificate,
        byte[] signature,
        IReadOnlyDictionary<string, bool> consent,
        DateOnly serviceDate,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        CardholderVerified verified;
        var verifySpan = PmhTelemetry.Source.StartActivity(PmhTelemetry.VerificationSpan);
        var verifyOutcome = "unavailable";
        // MassTransit's request timeout starts once the request is sent; with the broker away the send itself waits.
        // The linked token bounds the whole wait, so the desk hears "try again" within the deadline, never a hang.
        using var verificationDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        verificationDeadline.CancelAfter(options.VerificationTimeout);
        try
        {
            var response = await verifier.GetResponse<CardholderVerified, CardholderRejected>(
                new VerifyCardholder { ChallengeId = challengeId, ParticipantId = participant.Id, Certificate = certificate, Signature = signature },
                verificationDeadline.Token,
                RequestTimeout.After(ms: (int)options.VerificationTimeout.TotalMilliseconds)).ConfigureAwait(false);
            if (response.Is(out Response<CardholderRejected>? rejected))
            {
                verifyOutcome = "rejected";
                return new CheckOutcome.Rejected(rejected.Message.Reason);
            }

            if (!response.Is(out Response<CardholderVerified>? accepted))
            {
                throw new InvalidOperationException("The identity service answered neither verified nor rejected.");
            }

            verifyOutcome = "verified";
            verified = accepted.Message;
        }
        catch (Exception e) when (e is RequestTimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new CheckOutcome.VerificationUnavailable();
        }
        finally
        {
            verifySpan?.SetTag("pmh.outcome", verifyOutcome);
            verifySpan?.Dispose();
            PmhTelemetry.VerificationDuration.Record(
                Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("outcome", verifyOutcome));
        }

        var verification = Stopwatch.GetElapsedTime(started);
        var context = new ReceptionLookupContext(verified.PersonKey, verified.BirthDate, serviceDate, participant);
        var parts = await Task.WhenAll(lookups.Select(l => LookupAsync(l, context, consent, cancellationToken))).ConfigureAwait(false);
        var lookupTime = Stopwatch.GetElapsedTime(started) - verification;
        var asked = parts.Where(p => (string)p.Part["status"]! != NotConsented).Select(p => p.Kind).ToList();
        if (asked.Count > 0 && parts.Where(p => asked.Contains(p.Kind)).All(p => (string)p.Part["status"]! == Unavailable))
        {
            return new CheckOutcome.LookupsUnavailable(verified.PersonKey, asked);
        }

        var now = timeProvider.GetUtcNow();
        var check = new ReceptionCheck(
            Guid.NewGuid(),
            participant.Id,
            participant.Code,
            verified.PersonKey,
            personKeys.InstitutionReference(verified.PersonKey, participant.Code),
            verified.BirthDate,
            serviceDate,
            parts.ToDictionary(p => p.Kind, p => (string)p.Part["status"]!, StringComparer.Ordinal),
            now,
            now + options.CheckLifetime);
        await checks.SaveAsync(check, cancellationToken).ConfigureAwait(false);
        return new CheckOutcome.Completed(Answer(check, parts), verification, lookupTime, parts.ToDictionary(p => p.Kind, p => p.Took, StringComparer.Ordinal), verified.PersonKey);
    }

    /// <summary>
    /// A check's aggregate looked up again (a desk page showing it after recording a co-payment, or on reload): the
    /// same lookups, for the kinds the patient consented to in that check, on its service date. The caller audits it.
    /// </summary>
    public async Task<JsonObject> LookupAgainAsync(ReceptionCheck check, Participant participant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        var context = new ReceptionLookupContext(check.PersonKey, check.BirthDate, check.ServiceDate, participant);
        var consent = check.Parts.ToDictionary(p => p.Key, p => p.Value != NotConsented, StringComparer.Ordinal);
        var parts = await Task.WhenAll(lookups.Select(l => LookupAsync(l, context, consent, cancellationToken))).ConfigureAwait(false);
        return Answer(check, parts);
    }

    private static JsonObject Answer(ReceptionCheck check, (string Kind, JsonObject Part, TimeSpan Took)[] parts)
    {
        var answer = new JsonObject
        {
            ["checkId"] = check.CheckId,
            ["serviceDate"] = check.ServiceDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["expiresAt"] = check.ExpiresAt,
            ["person"] = new JsonObject
            {
                ["ref"] = check.PersonRef,
                ["birthDate"] = check.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        foreach (var (kind, part, _) in parts)
        {
            answer[kind] = part;
        }

        return answer;
    }

    private async Task<(string Kind, JsonObject Part, TimeSpan Took)> LookupAsync(
        IReceptionLookup lookup, ReceptionLookupContext context, IReadOnlyDictionary<string, bool> consent, CancellationToken cancellationToken)
    {
        if (!consent.TryGetValue(lookup.Kind, out var consented) || !consented)
        {
            return (lookup.Kind, new JsonObject { ["status"] = NotConsented }, TimeSpan.Zero);
        }

        using var span = PmhTelemetry.Source.StartActivity(PmhTelemetry.LookupSpanPrefix + lookup.Kind);
        span?.SetTag("pmh.kind", lookup.Kind);
        var started = Stopwatch.GetTimestamp();
        var timeout = options.TimeoutFor(lookup.Kind);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            // WaitAsync is the backstop for a lookup that ignores its token: the desk is never left hanging.
            var data = await lookup.LookupAsync(context, deadline.Token).WaitAsync(timeout, timeProvider, cancellationToken).ConfigureAwait(false);
            var part = new JsonObject { ["status"] = Provided };
            if (JsonSerializer.SerializeToNode(data, Json) is JsonObject fields)
            {
                foreach (var (name, value) in fields.ToList())
                {
                    fields.Remove(name);
                    part[name] = value;
                }
            }

            return (lookup.Kind, part, Measured(span, lookup.Kind, Provided, started));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OutOfMemoryException)
        {
            // Timed out, faulted or refused: this part is unavailable, the others still answer.
            span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            return (lookup.Kind, new JsonObject { ["status"] = Unavailable }, Measured(span, lookup.Kind, Unavailable, started));
        }
    }

    private static TimeSpan Measured(Activity? span, string kind, string status, long started)
    {
        var took = Stopwatch.GetElapsedTime(started);
        span?.SetTag("pmh.status", status);
        PmhTelemetry.LookupDuration.Record(
            took.TotalSeconds, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("status", status));
        return took;
    }
}
