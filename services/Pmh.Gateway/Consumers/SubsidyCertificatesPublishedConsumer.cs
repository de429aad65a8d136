using MassTransit;
using Pmh.Contracts.MaternalChild;
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

/// <summary>The subsidy service gave up on a part of a batch (it is in the error queue): the batch shows failed.</summary>
public sealed class PublishSubsidyCertificatesFaultConsumer(BatchStore batches, TimeProvider timeProvider)
    : IConsumer<Fault<PublishSubsidyCertificates>>
{
    public Task Consume(ConsumeContext<Fault<PublishSubsidyCertificates>> context) =>
        BatchFaults.FailAsync(batches, timeProvider, "subsidy", context.Message.Message.MunicipalityCode, context.Message.Message.BatchId,
            context.Message.Message.PartIndex, context.Message.Message.PartCount, context.Message.Exceptions, context.CancellationToken);
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
    public Task Consume(ConsumeContext<Fault<RegisterVaccinationRecords>> context) =>
        BatchFaults.FailAsync(batches, timeProvider, "vaccination", context.Message.Message.MunicipalityCode, context.Message.Message.BatchId,
            context.Message.Message.PartIndex, context.Message.Message.PartCount, context.Message.Exceptions, context.CancellationToken);
}

/// <summary>The maternal-child service applied a pregnancy or children upload: the batch status becomes completed.</summary>
public sealed class MaternalChildRecordsRegisteredConsumer(BatchStore batches) : IConsumer<MaternalChildRecordsRegistered>
{
    public Task Consume(ConsumeContext<MaternalChildRecordsRegistered> context) =>
        batches.CompleteAsync(
            context.Message.MunicipalityCode,
            context.Message.BatchId,
            context.Message.AcceptedCount,
            context.Message.AppliedAt,
            context.CancellationToken);
}

/// <summary>The maternal-child service gave up on a part of a pregnancy upload: the batch shows failed.</summary>
public sealed class RegisterPregnanciesFaultConsumer(BatchStore batches, TimeProvider timeProvider) : IConsumer<Fault<RegisterPregnancies>>
{
    public Task Consume(ConsumeContext<Fault<RegisterPregnancies>> context) =>
        BatchFaults.FailAsync(batches, timeProvider, "maternal-child", context.Message.Message.MunicipalityCode, context.Message.Message.BatchId,
            context.Message.Message.PartIndex, context.Message.Message.PartCount, context.Message.Exceptions, context.CancellationToken);
}

/// <summary>The maternal-child service gave up on a part of a children upload: the batch shows failed.</summary>
public sealed class RegisterChildrenFaultConsumer(BatchStore batches, TimeProvider timeProvider) : IConsumer<Fault<RegisterChildren>>
{
    public Task Consume(ConsumeContext<Fault<RegisterChildren>> context) =>
        BatchFaults.FailAsync(batches, timeProvider, "maternal-child", context.Message.Message.MunicipalityCode, context.Message.Message.BatchId,
            context.Message.Message.PartIndex, context.Message.Message.PartCount, context.Message.Exceptions, context.CancellationToken);
}

/// <summary>How a batch whose part ended in an error queue is reported to its publisher: without repeating any data.</summary>
internal static class BatchFaults
{
    public static Task FailAsync(
        BatchStore batches, TimeProvider timeProvider, string service, string municipality, string batchId, int partIndex, int partCount,
        ExceptionInfo[] exceptions, CancellationToken cancellationToken) =>
        batches.FailAsync(
            municipality,
            batchId,
            $"The {service} service could not apply part {partIndex + 1} of {partCount} ({exceptions.FirstOrDefault()?.ExceptionType ?? "unknown"}); " +
            "nothing of the batch was stored. The operator finds the message in the error queue and can replay it.",
            timeProvider.GetUtcNow(),
            cancellationToken);
}
