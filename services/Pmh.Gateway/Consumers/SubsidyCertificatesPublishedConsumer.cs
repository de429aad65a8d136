using MassTransit;
using Pmh.Contracts.Subsidy;
using Pmh.Contracts.Vaccination;
using Pmh.Gateway.Storage;

namespace Pmh.Gateway.Consumers;

/// <summary>The subsidy service applied a batch: the publisher's batch status becomes completed.</summary>
public sealed class SubsidyCertificatesPublishedConsumer(BatchStore batches) : IConsumer<SubsidyCertificatesPublished>
{
    public Task Consume(ConsumeContext<SubsidyCertificatesPublished> context) =>
        batches.CompleteAsync(
            context.Message.MunicipalityCode,
            context.Message.BatchId,
            context.Message.AcceptedCount,
            context.Message.AppliedAt,
            context.CancellationToken);
}

/// <summary>
/// The subsidy service gave up on a part of a batch (it is in the error queue): the publisher sees the batch failed
/// and why, in words that do not repeat the data.
/// </summary>
public sealed class PublishSubsidyCertificatesFaultConsumer(BatchStore batches, TimeProvider timeProvider)
    : IConsumer<Fault<PublishSubsidyCertificates>>
{
    public Task Consume(ConsumeContext<Fault<PublishSubsidyCertificates>> context)
    {
        var part = context.Message.Message;
        var kind = context.Message.Exceptions.FirstOrDefault()?.ExceptionType ?? "unknown";
        return batches.FailAsync(
            part.MunicipalityCode,
            part.BatchId,
            $"The subsidy service could not apply part {part.PartIndex + 1} of {part.PartCount} ({kind}); nothing of the batch was stored. " +
            "The operator finds the message in the error queue and can replay it.",
            timeProvider.GetUtcNow(),
            context.CancellationToken);
    }
}

/// <summary>The vaccination service applied a register upload: the publisher's batch status becomes completed.</summary>
public sealed class VaccinationRecordsRegisteredConsumer(BatchStore batches) : IConsumer<VaccinationRecordsRegistered>
{
    public Task Consume(ConsumeContext<VaccinationRecordsRegistered> context) =>
        batches.CompleteAsync(
            context.Message.MunicipalityCode,
            context.Message.BatchId,
            context.Message.AcceptedCount,
            context.Message.AppliedAt,
            context.CancellationToken);
}

/// <summary>The vaccination service gave up on a part of an upload: the batch shows failed.</summary>
public sealed class RegisterVaccinationRecordsFaultConsumer(BatchStore batches, TimeProvider timeProvider)
    : IConsumer<Fault<RegisterVaccinationRecords>>
{
    public Task Consume(ConsumeContext<Fault<RegisterVaccinationRecords>> context)
    {
        var part = context.Message.Message;
        var kind = context.Message.Exceptions.FirstOrDefault()?.ExceptionType ?? "unknown";
        return batches.FailAsync(
            part.MunicipalityCode,
            part.BatchId,
            $"The vaccination service could not apply part {part.PartIndex + 1} of {part.PartCount} ({kind}); nothing of the batch was stored. " +
            "The operator finds the message in the error queue and can replay it.",
            timeProvider.GetUtcNow(),
            context.CancellationToken);
    }
}
