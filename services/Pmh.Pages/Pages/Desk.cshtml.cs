using System.Globalization;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Hosting;
using Pmh.Contracts.Audit;
using Pmh.Contracts.Identity;
using Pmh.Contracts.Validation;
using Pmh.Gateway.Apis;
using Pmh.Gateway.Reception;
using Pmh.Modules;
using Pmh.Modules.Audit;
using Pmh.Modules.Pages;
using Pmh.Modules.Participants;
using Pmh.Modules.Reception;

namespace Pmh.Pages.Pages;

/// <summary>
/// The reception desk (clinics, hospitals, pharmacies): hold the card, tick what the patient agrees to share, see the
/// aggregate on one screen and record straight from it. Every step calls the handler the API's endpoint calls, so
/// validation, consent, the current-check rule and the audit are the same; each kind's part is its own
/// <see cref="IDeskSection"/>.
/// </summary>
[Authorize(Policy = GatewayPolicies.Reception)]
public sealed class DeskModel(
    IEnumerable<IDeskSection> sections, IEnumerable<IReceptionLookup> lookups, IHostEnvironment environment, TimeProvider time) : PageModel
{
    private readonly IReadOnlyList<IDeskSection> _sections = sections.ToList();

    /// <summary>The kinds a check can look up, each with its consent tick's label.</summary>
    public IReadOnlyList<(string Kind, LocalText Label)> Kinds { get; } = lookups
        .Select(l => (l.Kind, sections.FirstOrDefault(s => s.Kind == l.Kind)?.ConsentLabel ?? LocalText.Same(l.Kind)))
        .ToList();

    public string ServiceDate { get; private set; } = Day(PlausibleDates.Today(time));

    /// <summary>Whether the simulated card reader (demo cards, WebCrypto) is offered: Development only.</summary>
    public bool SimulatedReader => environment.IsDevelopment();

    public LocalText? Error { get; private set; }

    public DeskAggregate? Aggregate { get; private set; }

    /// <summary>What came of the last form, and which section's form it was (<c>kind.form</c>).</summary>
    public DeskOutcome? Outcome { get; private set; }

    public string? OutcomeOf { get; private set; }

    public async Task<IActionResult> OnGetAsync(
        Guid? checkId, [FromServices] CurrentChecks checks, [FromServices] ReceptionCheckService service, [FromServices] AccessAudit audit,
        CancellationToken cancellationToken)
    {
        if (checkId is { } id)
        {
            return await ShowAgainAsync(id, checks, service, audit, cancellationToken).ConfigureAwait(false);
        }

        return Page();
    }

    /// <summary>A challenge for the card reader (JSON), as <c>POST /api/v1/reception/challenges</c> gives it.</summary>
    public async Task<IActionResult> OnPostChallengeAsync(
        [FromServices] IRequestClient<IssueChallenge> client, [FromServices] ReceptionOptions options, CancellationToken cancellationToken) =>
        new HttpResultAction((await ReceptionApi.IssueChallengeAsync(HttpContext, client, options, cancellationToken).ConfigureAwait(false)).Result);

    /// <summary>The check: the signed challenge, the consent ticks and the service date, through the API's own handler.</summary>
    public async Task<IActionResult> OnPostCheckAsync(
        [FromServices] ReceptionCheckService service, [FromServices] AccessAudit audit, CancellationToken cancellationToken)
    {
        var form = Request.Form;
        var ticked = form["consent"].Select(v => v ?? "").ToHashSet(StringComparer.Ordinal);
        ServiceDate = DeskRefusals.Field(form, "serviceDate") ?? ServiceDate;
        var request = new ReceptionCheckRequest
        {
            ChallengeId = DeskRefusals.Field(form, "challengeId"),
            Certificate = DeskRefusals.Field(form, "certificate"),
            Signature = DeskRefusals.Field(form, "signature"),
            Consent = Kinds.ToDictionary(k => k.Kind, k => ticked.Contains(k.Kind), StringComparer.Ordinal),
            ServiceDate = ServiceDate,
        };
        if (request.Signature is null || request.Certificate is null || request.ChallengeId is null)
        {
            return Refuse(CardTexts.NeedsScript);
        }

        var result = (await ReceptionApi.HandleCheckAsync(HttpContext, request, service, audit, time, lookups, cancellationToken).ConfigureAwait(false)).Result;
        switch (result)
        {
            case Ok<JsonObject> { Value: { } answer }:
                Aggregate = Build(answer);
                return Page();
            case ProblemHttpResult problem when problem.ProblemDetails.Extensions.TryGetValue("reason", out var reason) && reason is string code:
                return Refuse(CardTexts.CardRefused(code));
            case ProblemHttpResult problem when problem.StatusCode == StatusCodes.Status503ServiceUnavailable:
                Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                Error = problem.ProblemDetails.Title == "Lookups unavailable" ? DeskTexts.LookupsUnavailable : CardTexts.VerificationUnavailable;
                return Page();
            case ProblemHttpResult problem:
                return Refuse(DeskRefusals.From(problem, new Dictionary<string, LocalText>(), FieldNames).Message);
            default:
                return Refuse(CardTexts.VerificationUnavailable);
        }
    }

    /// <summary>One of a section's record forms, then the aggregate again (what remains after a co-payment, a voucher used).</summary>
    public async Task<IActionResult> OnPostRecordAsync(
        Guid? checkId, [FromServices] CurrentChecks checks, [FromServices] ReceptionCheckService service, [FromServices] AccessAudit audit,
        CancellationToken cancellationToken)
    {
        var form = Request.Form;
        var kind = form["section"].ToString();
        var name = form["form"].ToString();
        var section = _sections.FirstOrDefault(s => s.Kind == kind);
        if (checkId is null || section is null)
        {
            return NotFound();
        }

        var (check, refused) = await checks.FindAsync(HttpContext, checkId.ToString(), cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            return Refuse(DeskTexts.CheckExpired);
        }

        Outcome = await section.SubmitAsync(name, form, new DeskCheck(check!.CheckId, check.ServiceDate, check.BirthDate), HttpContext, cancellationToken).ConfigureAwait(false);
        OutcomeOf = $"{kind}.{name}";
        var shown = await ShowAgainAsync(check.CheckId, checks, service, audit, cancellationToken).ConfigureAwait(false);
        if (!Outcome.Recorded)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        return shown;
    }

    private async Task<IActionResult> ShowAgainAsync(
        Guid checkId, CurrentChecks checks, ReceptionCheckService service, AccessAudit audit, CancellationToken cancellationToken)
    {
        var (check, refused) = await checks.FindAsync(HttpContext, checkId.ToString(), cancellationToken, expiredIsNotFound: true).ConfigureAwait(false);
        if (refused is not null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            Error = DeskTexts.CheckExpired;
            return Page();
        }

        var participant = Participant.From(User)!;
        var answer = await service.LookupAgainAsync(check!, participant, cancellationToken).ConfigureAwait(false);
        var disclosed = check!.Parts.Keys.Where(k => (string?)answer[k]?["status"] == ReceptionParts.Provided).ToList();
        await audit.RecordAsync(participant, check.PersonKey, disclosed, "receptionCheck", AccessOutcomes.Disclosed, check.CheckId.ToString(), cancellationToken)
            .ConfigureAwait(false);
        Aggregate = Build(answer);
        return Page();
    }

    private PageResult Refuse(LocalText error)
    {
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        Error = error;
        return Page();
    }

    private DeskAggregate Build(JsonObject answer)
    {
        var check = new DeskCheck(
            answer["checkId"]!.GetValue<Guid>(),
            DateOnly.ParseExact((string)answer["serviceDate"]!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            DateOnly.ParseExact((string)answer["person"]!["birthDate"]!, "yyyy-MM-dd", CultureInfo.InvariantCulture));
        var parts = Kinds.Select(k =>
        {
            var section = _sections.FirstOrDefault(s => s.Kind == k.Kind);
            var part = answer[k.Kind] as JsonObject;
            var status = (string?)part?["status"] ?? ReceptionParts.NotConsented;
            return new DeskPart(k.Kind, section?.Title ?? LocalText.Same(k.Kind), status,
                status == ReceptionParts.Provided && section is not null ? section.Show(part!, check) : null);
        }).ToList();
        return new DeskAggregate(check, (string)answer["person"]!["ref"]!, answer["expiresAt"]!.GetValue<DateTimeOffset>(), parts);
    }

    private static readonly Dictionary<string, LocalText> FieldNames = new(StringComparer.Ordinal)
    {
        ["serviceDate"] = DeskTexts.ServiceDate,
        ["consent"] = DeskTexts.Consent,
    };

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>A check on screen: who (by this institution's reference), until when, and each kind's part.</summary>
public sealed record DeskAggregate(DeskCheck Check, string PersonRef, DateTimeOffset ExpiresAt, IReadOnlyList<DeskPart> Parts);

/// <summary>One kind's part: its status and, when provided, its section's tables and forms.</summary>
public sealed record DeskPart(string Kind, LocalText Title, string Status, DeskView? View);
