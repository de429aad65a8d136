using MassTransit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pmh.Contracts.Audit;
using Pmh.Gateway.Apis;
using Pmh.Gateway.Participants;
using Pmh.Hosting;
using Pmh.Hosting.Messaging.DeadLetters;
using Pmh.Modules;
using Pmh.Modules.Pages;
using Pmh.Modules.Participants;
using Pmh.Pages.Shell;

namespace Pmh.Pages.Pages.Operator;

/// <summary>
/// <c>/operator</c>: participants and their keys (issue, rotate, revoke; a new key is in this one response only), the
/// audit chain's verification, the health of each dependency as <c>/health/ready</c> computes it, and the dead letters
/// (replay one). Every action calls the operator API's own handler (<see cref="ParticipantsApi"/>, <see cref="DeadLettersApi"/>).
/// </summary>
[Authorize(Policy = GatewayPolicies.Operator)]
public sealed class IndexModel(
    ParticipantStore store,
    HealthCheckService health,
    IDeadLetters deadLetters,
    IRequestClient<VerifyAuditChain> audit) : PageModel
{
    public const int DeadLetterLimit = 50;

    public IReadOnlyList<Participant> Participants { get; private set; } = [];

    public ILookup<string, ParticipantKey> Keys { get; private set; } = Array.Empty<ParticipantKey>().ToLookup(k => k.ParticipantId);

    public HealthReport? Health { get; private set; }

    public DeadLetterListing? DeadLetters { get; private set; }

    /// <summary>A key issued by this request: shown in this response and never again.</summary>
    public (string ParticipantId, IssuedKey Key)? Issued { get; private set; }

    /// <summary>What the last action did, in words; <see cref="NoticeIsError"/> when it was refused.</summary>
    public LocalText? Notice { get; private set; }

    public bool NoticeIsError { get; private set; }

    public IReadOnlyList<string> NoticeLines { get; private set; } = [];

    public LocalText? AuditResult { get; private set; }

    public bool AuditIntact { get; private set; }

    [BindProperty]
    public ParticipantForm NewParticipant { get; set; } = new();

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostIssueKeyAsync(string participantId, CancellationToken cancellationToken)
    {
        switch (HandlerResults.Unwrap((await ParticipantsApi.IssueKeyAsync(participantId, store, cancellationToken).ConfigureAwait(false)).Result))
        {
            case Created<IssuedKey> { Value: { } key }:
                Issued = (participantId, key);
                break;
            default:
                Refused(OperatorTexts.NoSuchParticipant);
                break;
        }

        return await ShowAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A rotation: a new key first (so the participant is never without one), then the old one revoked.</summary>
    public async Task<IActionResult> OnPostRotateKeyAsync(string participantId, string keyId, CancellationToken cancellationToken)
    {
        var active = (await store.KeysAsync(cancellationToken).ConfigureAwait(false)).Any(k => k.ParticipantId == participantId && k.KeyId == keyId && k.IsActive);
        if (!active)
        {
            Refused(OperatorTexts.NoSuchKey);
            return await ShowAsync(cancellationToken).ConfigureAwait(false);
        }

        if (HandlerResults.Unwrap((await ParticipantsApi.IssueKeyAsync(participantId, store, cancellationToken).ConfigureAwait(false)).Result) is not Created<IssuedKey> { Value: { } key })
        {
            Refused(OperatorTexts.NoSuchParticipant);
            return await ShowAsync(cancellationToken).ConfigureAwait(false);
        }

        Issued = (participantId, key);
        if (HandlerResults.Unwrap((await ParticipantsApi.RevokeKeyAsync(participantId, keyId, store, cancellationToken).ConfigureAwait(false)).Result) is NoContent)
        {
            Notice = OperatorTexts.Rotated;
        }
        else
        {
            Refused(OperatorTexts.NoSuchKey);
        }

        return await ShowAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostRevokeKeyAsync(string participantId, string keyId, CancellationToken cancellationToken)
    {
        if (HandlerResults.Unwrap((await ParticipantsApi.RevokeKeyAsync(participantId, keyId, store, cancellationToken).ConfigureAwait(false)).Result) is NoContent)
        {
            Notice = OperatorTexts.RevokedNotice;
        }
        else
        {
            Refused(OperatorTexts.NoSuchKey);
        }

        return await ShowAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostParticipantAsync(CancellationToken cancellationToken)
    {
        var request = new ParticipantRequest
        {
            Id = Blank(NewParticipant.Id),
            Name = Blank(NewParticipant.Name),
            Role = Blank(NewParticipant.Role),
            Code = Blank(NewParticipant.Code),
        };
        switch (HandlerResults.Unwrap((await ParticipantsApi.HandleUpsertAsync(request, store, cancellationToken).ConfigureAwait(false)).Result))
        {
            case Ok<ParticipantResponse>:
                Notice = OperatorTexts.Saved;
                NewParticipant = new();
                ModelState.Clear();
                break;
            case ProblemHttpResult problem:
                Refused(OperatorTexts.NotSaved, HandlerResults.Lines(problem));
                Response.StatusCode = problem.StatusCode;
                break;
        }

        return await ShowAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostVerifyAuditAsync(CancellationToken cancellationToken)
    {
        try
        {
            var verified = (await ParticipantsApi.VerifyAuditChainAsync(audit, cancellationToken).ConfigureAwait(false)).Value!;
            AuditIntact = verified.IsIntact;
            AuditResult = OperatorTexts.AuditResult(verified);
        }
        catch (Exception e) when (e is RequestTimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            AuditResult = OperatorTexts.AuditUnavailable;
        }

        return await ShowAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostReplayAsync(string id, string? queue, CancellationToken cancellationToken)
    {
        switch (HandlerResults.Unwrap((await DeadLettersApi.ReplayAsync(HttpContext, deadLetters, id, queue, cancellationToken).ConfigureAwait(false)).Result))
        {
            case Ok<ReplayedDeadLetters>:
                Notice = OperatorTexts.Replayed;
                break;
            case ProblemHttpResult { StatusCode: StatusCodes.Status503ServiceUnavailable }:
                Refused(OperatorTexts.DeadLettersUnavailable);
                break;
            default:
                Refused(OperatorTexts.NoSuchDeadLetter);
                break;
        }

        return await ShowAsync(cancellationToken).ConfigureAwait(false);
    }

    public static string RoleName(ParticipantRole role) => role.ToString();

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        // A new key is in this response only: no cache may keep it.
        Response.Headers.CacheControl = "no-store";
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Participants = await store.AllAsync(cancellationToken).ConfigureAwait(false);
        Keys = (await store.KeysAsync(cancellationToken).ConfigureAwait(false)).ToLookup(k => k.ParticipantId, StringComparer.Ordinal);
        Health = await health.CheckHealthAsync(c => c.Tags.Contains(PmhHubExtensions.ReadyTag), cancellationToken).ConfigureAwait(false);
        DeadLetters = HandlerResults.Unwrap((await DeadLettersApi.ListAsync(HttpContext, deadLetters, null, DeadLetterLimit, cancellationToken).ConfigureAwait(false)).Result)
            is Ok<DeadLetterListing> { Value: { } listing } ? listing : null;
    }

    private void Refused(LocalText text, IReadOnlyList<string>? lines = null)
    {
        Notice = text;
        NoticeIsError = true;
        NoticeLines = lines ?? [];
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>The add-or-change form's fields, as typed.</summary>
public sealed class ParticipantForm
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Role { get; set; }

    public string? Code { get; set; }
}
