using System.Data.Common;
using System.Text.Json;
using MassTransit;
using Pmh.Contracts.MaternalChild;
using Pmh.Hosting.Privacy;
using Pmh.Hosting.Storage;
using Pmh.MaternalChild.Domain;
using Pmh.MaternalChild.Storage;

namespace Pmh.MaternalChild.Consumers;

/// <summary>Uses a voucher and records the prenatal checkup; a new result is published for the person's municipality.</summary>
public sealed class RedeemVoucherConsumer(MaternalChildStore store) : IConsumer<RedeemVoucher>
{
    public async Task Consume(ConsumeContext<RedeemVoucher> context) =>
        await Answer.SendAsync(context, context.Message.RedemptionId, await store.RedeemAsync(context.Message, context.CancellationToken).ConfigureAwait(false))
            .ConfigureAwait(false);
}

/// <summary>Records an infant checkup of a registered child; a new result is published for the child's municipality.</summary>
public sealed class RecordInfantCheckupConsumer(MaternalChildStore store) : IConsumer<RecordInfantCheckup>
{
    public async Task Consume(ConsumeContext<RecordInfantCheckup> context) =>
        await Answer.SendAsync(context, context.Message.SubmissionId, await store.RecordInfantCheckupAsync(context.Message, context.CancellationToken).ConfigureAwait(false))
            .ConfigureAwait(false);
}

internal static class Answer
{
    public static async Task SendAsync(ConsumeContext context, string submissionId, CheckupOutcome outcome)
    {
        if (outcome is CheckupOutcome.Refused refused)
        {
            await context.RespondAsync(new CheckupRefused { Reason = refused.Reason }).ConfigureAwait(false);
            return;
        }

        var recorded = (CheckupOutcome.Recorded)outcome;
        var message = new CheckupRecorded
        {
            SubmissionId = submissionId,
            ResultId = recorded.ResultId,
            MunicipalityCode = recorded.MunicipalityCode,
            Sequence = recorded.Sequence,
            IsRepeat = recorded.IsRepeat,
        };
        await context.RespondAsync(message).ConfigureAwait(false);
    }
}

/// <summary>The person's vouchers and infant checkups on the service date.</summary>
public sealed class CheckMaternalChildEntitlementsConsumer(MaternalChildStore store) : IConsumer<CheckMaternalChildEntitlements>
{
    public async Task Consume(ConsumeContext<CheckMaternalChildEntitlements> context)
    {
        var (pregnancies, checkups) = await store.EntitlementsAsync(context.Message.PersonKey, context.Message.ServiceDate, context.CancellationToken)
            .ConfigureAwait(false);
        await context.RespondAsync(new MaternalChildEntitlements
        {
            Pregnancies = pregnancies.Select(p => new PregnancyVouchers(
                p.RecordId,
                p.DueDate,
                p.IsOpen,
                p.Total,
                p.Used,
                p.Left,
                p.Vouchers.Select(v => new Voucher(v.VoucherId, v.Number, Camel(v.Status.ToString()), v.UsedOn)).ToList())).ToList(),
            InfantCheckups = checkups.Select(c => new InfantCheckup(c.Checkup, c.Name, c.WindowFrom, c.WindowUntil, Camel(c.Status.ToString()), c.DoneOn)).ToList(),
        }).ConfigureAwait(false);
    }

    private static string Camel(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);
}

/// <summary>Which of the pregnancy records a municipality names it has registered.</summary>
public sealed class FindPregnancyRecordsConsumer(MaternalChildStore store) : IConsumer<FindPregnancyRecords>
{
    public async Task Consume(ConsumeContext<FindPregnancyRecords> context) =>
        await context.RespondAsync(new PregnancyRecordsFound
        {
            RecordIds = await store.RegisteredPregnanciesAsync(context.Message.MunicipalityCode, context.Message.RecordIds, context.CancellationToken)
                .ConfigureAwait(false),
        }).ConfigureAwait(false);
}

/// <summary>A municipality's feed of checkup results for its people, by its own reference for each person.</summary>
public sealed class GetMaternalChildFeedConsumer(MaternalChildStore store, PersonKeys personKeys) : IConsumer<GetMaternalChildFeed>
{
    public async Task Consume(ConsumeContext<GetMaternalChildFeed> context)
    {
        var request = context.Message;
        var rows = await store.FeedAsync(request.MunicipalityCode, request.After, Math.Clamp(request.Limit, 1, 1000), context.CancellationToken).ConfigureAwait(false);
        await context.RespondAsync(new MaternalChildFeed
        {
            Events = rows.Select(r => new MaternalChildFeedEvent(
                r.Sequence,
                r.ResultId,
                r.Kind,
                r.Checkup,
                personKeys.InstitutionReference(r.PersonKey, request.MunicipalityCode),
                r.LocalPersonId,
                JsonSerializer.Deserialize<CheckupResult>(r.Result, MaternalChildStore.Json)!,
                r.InstitutionCode,
                DateTimeOffset.FromUnixTimeMilliseconds(r.RecordedAt))).ToList(),
            Next = rows.Count == 0 ? request.After : rows[^1].Sequence,
        }).ConfigureAwait(false);
    }
}
