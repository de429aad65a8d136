using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Vaccination;
using Pmh.Hosting;
using Pmh.Modules;
using Pmh.Modules.Pages;
using Pmh.Vaccination.Apis;
using Pmh.Vaccination.Publishing;
using Pmh.Vaccination.Reception;
using Pmh.Vaccination.Consumers;
using Pmh.Vaccination.Domain;
using Pmh.Vaccination.Storage;

namespace Pmh.Vaccination;

public static class VaccinationServiceExtensions
{
    public const string ServiceName = "vaccination";
    public const string DatabaseName = "Vaccination";

    /// <summary>
    /// The vaccination service: the municipal register, doses submitted at reception, each municipality's feed, and
    /// history with routine-schedule eligibility (the schedule is data: <see cref="RoutineSchedule.Default"/>).
    /// </summary>
    public static PmhHubBuilder AddVaccinationService(this PmhHubBuilder hub)
    {
        // What the gateway composes, where this process runs it: the register upload, doses, feed and history; the reception part.
        hub.AddBatchKind<VaccinationRecords, VaccinationRecordRow, VaccinationRecord, RegisterVaccinationRecords>()
            .AddReceptionLookup<VaccinationReceptionLookup>()
            .AddDeskSection<Pages.VaccinationDeskSection>()
            .AddApi(ServiceName, api => api.MapVaccinationApi());
        // Billing (予防接種費用請求): the price table as a batch kind, the claims API.
        hub.AddBatchKind<VaccinationPrices, VaccinationPriceRow, VaccinationPrice, PublishVaccinationPrices>()
            .AddApi(ServiceName + "-billing", api => api.MapVaccinationBillingApi())
            .AddApi(ServiceName + "-questionnaires", api => api.MapQuestionnaireApi())
            .AddModulePages(
                typeof(VaccinationServiceExtensions).Assembly,
                new PageLink(PageFaces.Municipality, "/municipality/claims", "claims-link", Pages.ClaimTexts.ClaimsLink),
                new PageLink(PageFaces.Desk, "/desk/claims", "claims-link", Pages.ClaimTexts.ClaimsLink),
                new PageLink(PageFaces.Me, "/me/questionnaire", "questionnaire-link", Pages.QuestionnaireTexts.Link));
        if (!hub.Selection.Contains(ServiceName))
        {
            return hub;
        }

        hub.AddStagedBatches<RegisterVaccinationRecords, VaccinationBatchParts>();
        hub.AddStagedBatches<PublishVaccinationPrices, VaccinationPriceParts>();
        hub.AddServiceDatabase(DatabaseName, typeof(VaccinationServiceExtensions).Assembly);
        hub.Services.AddSingleton(RoutineSchedule.Default);
        hub.Services.AddSingleton<VaccinationStore>();
        hub.Services.AddSingleton<BillingStore>();
        hub.Services.AddSingleton<QuestionnaireStore>();
        return hub.AddConsumers(bus =>
        {
            bus.AddConsumer<RecordVaccinationDoseConsumer>();
            bus.AddConsumer<GetVaccinationFeedConsumer>();
            bus.AddConsumer<CheckVaccinationHistoryConsumer>();
            bus.AddConsumer<GetVaccinationClaimsConsumer>();
            bus.AddConsumer<GetVaccinationClaimConsumer>();
            bus.AddConsumer<DecideVaccinationClaimLinesConsumer>();
            bus.AddConsumer<StoreQuestionnaireConsumer>();
            bus.AddConsumer<CorrectVaccinationDoseConsumer>();
        });
    }
}
