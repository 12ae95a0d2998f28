using AgenteVendedor.Accounts;
using AgenteVendedor.Audit;
using AgenteVendedor.Catalog;
using AgenteVendedor.Database;
using AgenteVendedor.Sales;
using AgenteVendedor.Security;
using AgenteVendedor.Tenancy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace AgenteVendedor;

/// <summary>Everything a silo of this product needs besides clustering and endpoints; shared by the Silo host and the test cluster.</summary>
public static class SiloSetup
{
    public static ISiloBuilder AddAgenteVendedor(this ISiloBuilder silo, string connectionString, IConfiguration config)
    {
        var services = silo.Services;
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        services.AddSingleton(new PasswordHasher(config.GetValue("Security:PasswordIterations", PasswordHasher.RecommendedIterations)));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AccountStore>();
        services.AddSingleton<EmpresaStore>();
        services.AddSingleton<AuditStore>();
        services.AddSingleton<CatalogStore>();
        services.AddSingleton<OrderStore>();

        silo.AddAdoNetGrainStorage(StorageNames.Default, o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = connectionString;
        });
        // Grain state is written with Orleans' own version-tolerant binary format: members carry [Id]s
        // and types carry [Alias]es, so renaming a class or a property never orphans stored rows.
        services.AddOptions<AdoNetGrainStorageOptions>(StorageNames.Default)
            .PostConfigure<IServiceProvider>((o, sp) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(sp.GetRequiredService<Serializer>()));
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = connectionString;
        });
        services.Configure<ClusterMembershipOptions>(config.GetSection("Orleans:Membership"));
        services.Configure<ReminderOptions>(config.GetSection("Orleans:Reminders"));
        return silo;
    }
}
