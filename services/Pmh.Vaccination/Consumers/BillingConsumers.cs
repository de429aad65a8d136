using MassTransit;
using Pmh.Contracts.Vaccination;
using Pmh.Vaccination.Domain.Billing;
using Pmh.Vaccination.Storage;

namespace Pmh.Vaccination.Consumers;

/// <summary>The claims of one month, as the institution that makes them or the municipality they go to sees them.</summary>
public sealed class GetVaccinationClaimsConsumer(BillingStore store) : IConsumer<GetVaccinationClaims>
{
    public async Task Consume(ConsumeContext<GetVaccinationClaims> context)
    {
        var request = context.Message;
        var month = ClaimMonth.TryParse(request.Month) ?? throw new ArgumentException("month must be yyyy-MM", nameof(context));
        var lineLimit = Math.Clamp(request.LineLimit ?? ClaimLineCursor.DefaultLinesPerClaim, 0, ClaimLineCursor.MaxLinesPerClaim);
        var claims = await store.ClaimsAsync(request.Viewer, request.ViewerCode, month, context.CancellationToken, lineLimit).ConfigureAwait(false);
        await context.RespondAsync(new VaccinationClaims { Claims = claims }).ConfigureAwait(false);
    }
}

/// <summary>One claim, for a party to it only (otherwise an empty answer, as if there were none).</summary>
public sealed class GetVaccinationClaimConsumer(BillingStore store) : IConsumer<GetVaccinationClaim>
{
    public async Task Consume(ConsumeContext<GetVaccinationClaim> context)
    {
        var request = context.Message;
        var lineLimit = Math.Clamp(request.LineLimit ?? ClaimLineCursor.DefaultLimit, 0, ClaimLineCursor.MaxLimit);
        var after = request.After is null ? (ClaimLineCursor?)null : ClaimLineCursor.TryParse(request.After) ?? throw new ArgumentException("after is not a cursor of a claim's lines", nameof(context));
        var claim = await store.ClaimAsync(request.Viewer, request.ViewerCode, request.ClaimId, context.CancellationToken, lineLimit, after).ConfigureAwait(false);
        await context.RespondAsync(new VaccinationClaims { Claims = claim is null ? [] : [claim] }).ConfigureAwait(false);
    }
}

/// <summary>A municipality's decisions on lines of a claim to it: all stored, or none with the reasons.</summary>
public sealed class DecideVaccinationClaimLinesConsumer(BillingStore store) : IConsumer<DecideVaccinationClaimLines>
{
    public async Task Consume(ConsumeContext<DecideVaccinationClaimLines> context)
    {
        var (claim, decidedCount, notFound, errors) = await store.DecideAsync(context.Message, context.CancellationToken).ConfigureAwait(false);
        if (claim is not null)
        {
            await context.RespondAsync(new VaccinationClaimDecided { Claim = claim, DecidedCount = decidedCount }).ConfigureAwait(false);
            return;
        }

        await context.RespondAsync(new VaccinationClaimDecisionRefused { NotFound = notFound, Errors = errors }).ConfigureAwait(false);
    }
}

/// <summary>An institution's correction of a dose it submitted: the record, the feed and the claim line change together.</summary>
public sealed class CorrectVaccinationDoseConsumer(VaccinationStore store) : IConsumer<CorrectVaccinationDose>
{
    public async Task Consume(ConsumeContext<CorrectVaccinationDose> context)
    {
        var (corrected, refused) = await store.CorrectSubmissionAsync(context.Message, context.CancellationToken).ConfigureAwait(false);
        if (corrected is not null)
        {
            await context.RespondAsync(corrected).ConfigureAwait(false);
            return;
        }

        await context.RespondAsync(new VaccinationDoseCorrectionRefused { Reason = refused! }).ConfigureAwait(false);
    }
}
