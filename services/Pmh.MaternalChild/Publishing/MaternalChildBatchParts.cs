using Pmh.Contracts.MaternalChild;
using Pmh.Hosting.Storage;
using Pmh.MaternalChild.Storage;
using Pmh.Modules.Batches;

namespace Pmh.MaternalChild.Publishing;

/// <summary>The maternal-child service's side of pregnancy uploads: each part staged, the upload applied whole.</summary>
public sealed class PregnancyBatchParts(MaternalChildStore store) : IBatchPartStager<RegisterPregnancies>, IBatchQueue
{
    public static string Queue => MaternalChildQueues.RegisterPregnancies;

    public string Kind => Pregnancies.KindName;

    public Task<StagedPartOutcome> StageAsync(RegisterPregnancies part, PartDelivery delivery, CancellationToken cancellationToken)
    {
        BatchParts.EnsureOneMunicipality(part, part.Rows.Select(r => r.Record.MunicipalityCode));
        return store.StagePregnanciesAsync(part, cancellationToken, delivery);
    }
}

/// <summary>The maternal-child service's side of children uploads: each part staged, the upload applied whole.</summary>
public sealed class ChildBatchParts(MaternalChildStore store) : IBatchPartStager<RegisterChildren>, IBatchQueue
{
    public static string Queue => MaternalChildQueues.RegisterChildren;

    public string Kind => Children.KindName;

    public Task<StagedPartOutcome> StageAsync(RegisterChildren part, PartDelivery delivery, CancellationToken cancellationToken)
    {
        BatchParts.EnsureOneMunicipality(part, part.Rows.Select(r => r.Record.MunicipalityCode));
        return store.StageChildrenAsync(part, cancellationToken, delivery);
    }
}
