using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Hosting;
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
        if (!hub.Selection.Contains(ServiceName))
        {
            return hub;
        }

        hub.AddServiceDatabase(DatabaseName, typeof(VaccinationServiceExtensions).Assembly);
        hub.Services.AddSingleton(RoutineSchedule.Default);
        hub.Services.AddSingleton<VaccinationStore>();
        return hub.AddConsumers(bus =>
        {
            bus.AddConsumer<RegisterVaccinationRecordsConsumer, RegisterVaccinationRecordsConsumerDefinition>();
            bus.AddConsumer<RecordVaccinationDoseConsumer>();
            bus.AddConsumer<GetVaccinationFeedConsumer>();
            bus.AddConsumer<CheckVaccinationHistoryConsumer>();
        });
    }
}
