using Pmh.Contracts.Subsidy;
using Pmh.Hosting.Storage;
using Pmh.Modules.Batches;
using Pmh.Subsidy.Storage;

namespace Pmh.Subsidy.Publishing;

/// <summary>The subsidy service's side of certificate batches: each part staged, the batch applied whole.</summary>
public sealed class SubsidyBatchParts(SubsidyCertificateStore store) : IBatchPartStager<PublishSubsidyCertificates>, IBatchQueue
{
    public static string Queue => SubsidyQueues.PublishCertificates;

    public string Kind => SubsidyCertificates.KindName;

    public Task<StagedPartOutcome> StageAsync(PublishSubsidyCertificates part, PartDelivery delivery, CancellationToken cancellationToken)
    {
        BatchParts.EnsureOneMunicipality(part, part.Rows.Select(r => r.Certificate.MunicipalityCode));
        return store.StagePartAsync(part, cancellationToken, delivery);
    }
}
