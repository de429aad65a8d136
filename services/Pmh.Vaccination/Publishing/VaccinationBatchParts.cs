using Pmh.Contracts.Vaccination;
using Pmh.Hosting.Storage;
using Pmh.Modules.Batches;
using Pmh.Vaccination.Storage;

namespace Pmh.Vaccination.Publishing;

/// <summary>The vaccination service's side of register uploads: each part staged, the upload applied whole.</summary>
public sealed class VaccinationBatchParts(VaccinationStore store) : IBatchPartStager<RegisterVaccinationRecords>, IBatchQueue
{
    public static string Queue => VaccinationQueues.RegisterRecords;

    public string Kind => VaccinationRecords.KindName;

    public Task<StagedPartOutcome> StageAsync(RegisterVaccinationRecords part, PartDelivery delivery, CancellationToken cancellationToken)
    {
        BatchParts.EnsureOneMunicipality(part, part.Rows.Select(r => r.Record.MunicipalityCode));
        return store.StagePartAsync(part, cancellationToken, delivery);
    }
}
