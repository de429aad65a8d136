using MassTransit;
using Pmh.Contracts.Subsidy;
using Pmh.Subsidy.Storage;

namespace Pmh.Subsidy.Consumers;

/// <summary>Answers <see cref="CheckSubsidyEligibility"/> with the certificates valid on the service date.</summary>
public sealed class CheckSubsidyEligibilityConsumer(SubsidyCertificateStore store, CopaymentLedger ledger) : IConsumer<CheckSubsidyEligibility>
{
    public async Task Consume(ConsumeContext<CheckSubsidyEligibility> context)
    {
        var request = context.Message;
        var certificates = await store.EligibleAsync(request.PersonKey, request.ServiceDate, context.CancellationToken).ConfigureAwait(false);
        await context.RespondAsync(new SubsidyEligibility
        {
            PersonKey = request.PersonKey,
            ServiceDate = request.ServiceDate,
            Certificates = certificates,
            Ledgers = await ledger.LedgersAsync(certificates, request.ServiceDate, context.CancellationToken).ConfigureAwait(false),
        }).ConfigureAwait(false);
    }
}
