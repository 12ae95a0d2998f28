using AgenteVendedor.Accounts;
using AgenteVendedor.Audit;
using AgenteVendedor.Security;
using AgenteVendedor.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AgenteVendedor;

public static class GrainServices
{
    /// <summary>Registers what the grains need: the database, the stores and the password hasher.</summary>
    public static IServiceCollection AddAgenteVendedorGrainServices(
        this IServiceCollection services, string connectionString, int passwordIterations)
    {
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        services.AddSingleton(new PasswordHasher(passwordIterations));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AccountStore>();
        services.AddSingleton<EmpresaStore>();
        services.AddSingleton<AuditStore>();
        return services;
    }
}
