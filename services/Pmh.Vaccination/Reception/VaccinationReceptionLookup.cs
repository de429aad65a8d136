using MassTransit;
using Pmh.Contracts.Audit;
using Pmh.Contracts.Vaccination;

namespace Pmh.Vaccination.Reception;

/// <summary>
/// The vaccination part of a reception check: every dose, newest first, the routine-schedule eligibility, and the
/// person's pending questionnaires (予診票). Showing a questionnaire is recorded in the person's access log by itself,
/// so the citizen sees which institution read their answers.
/// </summary>
public sealed class VaccinationReceptionLookup(IRequestClient<CheckVaccinationHistory> client, AccessAudit audit) : IReceptionLookup
{
    public const string QuestionnairePurpose = "vaccinationQuestionnaire";

    public string Kind => "vaccination";

    public async Task<object> LookupAsync(ReceptionLookupContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = await client.GetResponse<VaccinationHistory>(
            new CheckVaccinationHistory { PersonKey = context.PersonKey, BirthDate = context.BirthDate, ServiceDate = context.ServiceDate },
            cancellationToken).ConfigureAwait(false);
        if (response.Message.Questionnaires.Count > 0)
        {
            await audit.RecordAsync(context.Participant, context.PersonKey, ["vaccination"], QuestionnairePurpose, AccessOutcomes.Disclosed,
                "questionnaires " + string.Join(", ", response.Message.Questionnaires.Select(q => q.QuestionnaireId)), cancellationToken).ConfigureAwait(false);
        }

        return VaccinationHistoryView.From(response.Message);
    }
}

/// <summary>A person's vaccination history as a desk sees it: every dose, newest first, each series' state, and pending questionnaires.</summary>
public sealed record VaccinationHistoryView(IReadOnlyList<DoseView> Doses, IReadOnlyList<VaccinationEligibilityItem> Eligibility, string ScheduleVersion)
{
    /// <summary>The person's questionnaires not yet used and not expired, with their answers and what needs the doctor's attention.</summary>
    public IReadOnlyList<PendingQuestionnaire> Questionnaires { get; init; } = [];

    public static VaccinationHistoryView From(VaccinationHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return new(history.Doses.Select(DoseView.From).ToList(), history.Eligibility, history.ScheduleVersion) { Questionnaires = history.Questionnaires };
    }
}

/// <summary>A dose as a desk sees it: no person key, no municipal person number.</summary>
public sealed record DoseView(string RecordId, string Vaccine, int DoseNumber, DateOnly Date, string? LotNumber, string? InstitutionCode, string Programme)
{
    public static DoseView From(VaccinationRecord r) => new(r.RecordId, r.Vaccine, r.DoseNumber, r.Date, r.LotNumber, r.InstitutionCode, r.Programme);
}
