using MassTransit;
using Pmh.Contracts.Subsidy;
using Pmh.Subsidy.Storage;

namespace Pmh.Subsidy.Consumers;

/// <summary>Records a receipt against its certificate's monthly cap and answers what to charge.</summary>
public sealed class RecordCopaymentConsumer(CopaymentLedger ledger) : IConsumer<RecordCopayment>
{
    public async Task Consume(ConsumeContext<RecordCopayment> context) =>
        await CopaymentAnswer.SendAsync(context, context.Message.ReceiptId, await ledger.RecordAsync(context.Message, context.CancellationToken).ConfigureAwait(false))
            .ConfigureAwait(false);
}

/// <summary>Corrects a recorded receipt (changed or cancelled) and answers the new charge.</summary>
public sealed class CorrectCopaymentConsumer(CopaymentLedger ledger) : IConsumer<CorrectCopayment>
{
    public async Task Consume(ConsumeContext<CorrectCopayment> context) =>
        await CopaymentAnswer.SendAsync(context, context.Message.ReceiptId, await ledger.CorrectAsync(context.Message, context.CancellationToken).ConfigureAwait(false))
            .ConfigureAwait(false);
}

internal static class CopaymentAnswer
{
    public static Task SendAsync(ConsumeContext context, string receiptId, CopaymentOutcome outcome) =>
        outcome switch
        {
            CopaymentOutcome.Charged charged => context.RespondAsync(new CopaymentRecorded
            {
                ReceiptId = receiptId,
                ChargedYen = charged.ChargedYen,
                Ledger = charged.Ledger,
                IsRepeat = charged.IsRepeat,
                PersonKey = charged.PersonKey,
            }),
            CopaymentOutcome.Refused refused => context.RespondAsync(new CopaymentRefused { Reason = refused.Reason }),
            _ => throw new InvalidOperationException($"Unexpected outcome {outcome}"),
        };
}
