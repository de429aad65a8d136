using System.Data.Common;
using MassTransit;
using Pmh.Contracts.Subsidy;
using Pmh.Hosting.Storage;
using Pmh.Subsidy.Storage;

namespace Pmh.Subsidy.Consumers;

/// <summary>
/// Stages a part of a municipality's batch; when the batch is complete (now or on an earlier delivery) it
/// publishes <see cref="SubsidyCertificatesPublished"/> with the batch's one result.
/// </summary>
public sealed class PublishSubsidyCertificatesConsumer(SubsidyCertificateStore store) : IConsumer<PublishSubsidyCertificates>
{
    public async Task Consume(ConsumeContext<PublishSubsidyCertificates> context)
    {
        var part = context.Message;
        if (part.Rows.Any(r => r.Certificate.MunicipalityCode != part.MunicipalityCode))
        {
            throw new InconsistentBatchException($"Batch {part.BatchId} carries certificates of another municipality than {part.MunicipalityCode}.");
        }

        var outcome = await store.StagePartAsync(part, context.CancellationToken).ConfigureAwait(false);
        if (outcome.BatchApplied)
        {
            await context.Publish(new SubsidyCertificatesPublished
            {
                MunicipalityCode = part.MunicipalityCode,
                BatchId = part.BatchId,
                AcceptedCount = outcome.AcceptedCount,
                AppliedAt = outcome.AppliedAt ?? DateTimeOffset.MinValue,
            }).ConfigureAwait(false);
        }
    }
}

public sealed class PublishSubsidyCertificatesConsumerDefinition : ConsumerDefinition<PublishSubsidyCertificatesConsumer>
{
    public PublishSubsidyCertificatesConsumerDefinition()
    {
        EndpointName = SubsidyQueues.PublishCertificates;
        // Applying a batch holds the database's write lock; a few parts at a time is all a database takes well.
        ConcurrentMessageLimit = 4;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PublishSubsidyCertificatesConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Intervals(200, 1000, 5000);
            // Transient database faults are already retried by the storage pipeline, and a part that contradicts
            // its batch will not improve: both go straight to the error queue.
            r.Ignore<DbException>();
            r.Ignore<InconsistentBatchException>();
        });
}
