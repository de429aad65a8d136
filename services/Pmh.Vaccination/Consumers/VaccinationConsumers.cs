using System.Data.Common;
using MassTransit;
using Pmh.Contracts.Vaccination;
using Pmh.Hosting.Privacy;
using Pmh.Hosting.Storage;
using Pmh.Vaccination.Domain;
using Pmh.Vaccination.Fhir;
using Pmh.Vaccination.Storage;

namespace Pmh.Vaccination.Consumers;

/// <summary>
/// Records a dose an institution gave; a new dose joins the feed of the person's municipality and its
/// <see cref="VaccinationDoseRecorded"/> is written to the outbox in the same transaction (a repeat writes nothing).
/// </summary>
public sealed class RecordVaccinationDoseConsumer(VaccinationStore store) : IConsumer<RecordVaccinationDose>
{
    public async Task Consume(ConsumeContext<RecordVaccinationDose> context)
    {
        var outcome = await store.RecordSubmissionAsync(context.Message, context.CancellationToken).ConfigureAwait(false);
        if (outcome is SubmissionOutcome.Refused refused)
        {
            await context.RespondAsync(new VaccinationDoseRefused { Reason = refused.Reason, RegisteredMunicipalityCode = refused.RegisteredMunicipalityCode, Detail = refused.Detail }).ConfigureAwait(false);
            return;
        }

        var recorded = (SubmissionOutcome.Recorded)outcome;
        var message = new VaccinationDoseRecorded
        {
            SubmissionId = context.Message.SubmissionId,
            RecordId = recorded.RecordId,
            MunicipalityCode = recorded.MunicipalityCode,
            Sequence = recorded.Sequence,
            IsRepeat = recorded.IsRepeat,
        };
        await context.RespondAsync(message).ConfigureAwait(false);
    }
}

/// <summary>A municipality's feed of doses given to its people, by its own reference for each person.</summary>
public sealed class GetVaccinationFeedConsumer(VaccinationStore store, PersonKeys personKeys) : IConsumer<GetVaccinationFeed>
{
    public async Task Consume(ConsumeContext<GetVaccinationFeed> context)
    {
        var request = context.Message;
        var rows = await store.FeedAsync(request.MunicipalityCode, request.After, Math.Clamp(request.Limit, 1, 1000), context.CancellationToken)
            .ConfigureAwait(false);
        await context.RespondAsync(new VaccinationFeed
        {
            Events = rows.Select(r => new VaccinationFeedEvent(
                r.Sequence,
                r.Record.RecordId,
                personKeys.InstitutionReference(r.PersonKey, request.MunicipalityCode),
                r.LocalPersonId,
                r.Record.Vaccine,
                r.Record.DoseNumber,
                r.Record.Date,
                r.Record.LotNumber,
                r.Record.InstitutionCode,
                r.Record.Programme,
                r.RecordedAt)).ToList(),
            Next = rows.Count == 0 ? request.After : rows[^1].Sequence,
        }).ConfigureAwait(false);
    }
}

/// <summary>A person's doses (newest first) and where they stand on each routine series on the service date.</summary>
public sealed class CheckVaccinationHistoryConsumer(VaccinationStore store, QuestionnaireStore questionnaires, RoutineSchedule schedule, TimeProvider timeProvider)
    : IConsumer<CheckVaccinationHistory>
{
    public async Task Consume(ConsumeContext<CheckVaccinationHistory> context)
    {
        var request = context.Message;
        var doses = await store.HistoryAsync(request.PersonKey, context.CancellationToken).ConfigureAwait(false);
        var eligibility = schedule.Evaluate(request.BirthDate, request.ServiceDate, doses.Select(d => new GivenDose(d.Vaccine, d.DoseNumber, d.Date)));
        await context.RespondAsync(new VaccinationHistory
        {
            Doses = doses,
            Eligibility = eligibility.Select(e => new VaccinationEligibilityItem(
                e.Series,
                e.Name,
                e.Programme,
                System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(e.Status.ToString()),
                e.NextDose,
                e.DueFrom,
                e.DueUntil)).ToList(),
            ScheduleVersion = schedule.VersionOn(request.ServiceDate),
            FhirBundle = request.FhirPatientReference is { } patient ? Fhir(patient, doses) : null,
            Questionnaires = await questionnaires.PendingAsync(request.PersonKey, timeProvider.GetUtcNow(), context.CancellationToken).ConfigureAwait(false),
        }).ConfigureAwait(false);
    }

    private string Fhir(string patientReference, IReadOnlyList<Contracts.Vaccination.VaccinationRecord> doses) =>
        ImmunizationBundle.ToJson(ImmunizationBundle.Create(
            patientReference,
            doses.Select(d => new ImmunizationEntry(
                d.Vaccine,
                schedule.NameFor(d.Vaccine) ?? d.Vaccine,
                schedule.Hot9For(d.Vaccine),
                d.DoseNumber,
                d.Date,
                d.LotNumber,
                d.InstitutionCode,
                d.Programme,
                d.RecordId)),
            timeProvider.GetUtcNow()));
}

/// <summary>Stores a citizen's questionnaire (checked against its definition at the gateway); the same id again changes nothing.</summary>
public sealed class StoreQuestionnaireConsumer(QuestionnaireStore store) : IConsumer<StoreQuestionnaire>
{
    public async Task Consume(ConsumeContext<StoreQuestionnaire> context)
    {
        await store.StoreAsync(context.Message, context.CancellationToken).ConfigureAwait(false);
        await context.RespondAsync(new QuestionnaireStored { QuestionnaireId = context.Message.QuestionnaireId, ValidUntil = context.Message.ValidUntil })
            .ConfigureAwait(false);
    }
}
