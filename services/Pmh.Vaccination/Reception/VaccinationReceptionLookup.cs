using MassTransit;
using Pmh.Contracts.Vaccination;

namespace Pmh.Vaccination.Reception;

/// <summary>The vaccination part of a reception check: every dose, newest first, and the routine-schedule eligibility.</summary>
public sealed class VaccinationReceptionLookup(IRequestClient<CheckVaccinationHistory> client) : IReceptionLookup
{
    public string Kind => "vaccination";

    public async Task<object> LookupAsync(ReceptionLookupContext context, CancellationToken cancellationToken)
    {
        var response = await client.GetResponse<VaccinationHistory>(
            new CheckVaccinationHistory { PersonKey = context.PersonKey, BirthDate = context.BirthDate, ServiceDate = context.ServiceDate },
            cancellationToken).ConfigureAwait(false);
        return VaccinationHistoryView.From(response.Message);
    }
}

/// <summary>A person's vaccination history as a desk sees it: every dose, newest first, and each series' state.</summary>
public sealed record VaccinationHistoryView(IReadOnlyList<DoseView> Doses, IReadOnlyList<VaccinationEligibilityItem> Eligibility, string ScheduleVersion)
{
    public static VaccinationHistoryView From(VaccinationHistory history) =>
        new(history.Doses.Select(DoseView.From).ToList(), history.Eligibility, history.ScheduleVersion);
}

/// <summary>A dose as a desk sees it: no person key, no municipal person number.</summary>
public sealed record DoseView(string RecordId, string Vaccine, int DoseNumber, DateOnly Date, string? LotNumber, string? InstitutionCode, string Programme)
{
    public static DoseView From(VaccinationRecord r) => new(r.RecordId, r.Vaccine, r.DoseNumber, r.Date, r.LotNumber, r.InstitutionCode, r.Programme);
}
