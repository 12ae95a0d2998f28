using System.Net;
using System.Net.Sockets;
using AgenteVendedor;
using AgenteVendedor.Database;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

var builder = Host.CreateApplicationBuilder(args);
var config = builder.Configuration;
var connectionString = config.GetConnectionString("Postgres")
    ?? throw new InvalidOperationException("Falta la cadena de conexión ConnectionStrings:Postgres (variable ConnectionStrings__Postgres).");

using (var loggerFactory = LoggerFactory.Create(l => l.AddConsole()))
{
    await SchemaMigrator.MigrateAsync(connectionString, loggerFactory.CreateLogger("Migraciones"));
}

var siloPort = config.GetValue("Orleans:SiloPort", 11111);
var gatewayPort = config.GetValue("Orleans:GatewayPort", 30000);
var advertised = await ResolveAdvertisedAddressAsync(config["Orleans:AdvertisedHost"] ?? "127.0.0.1");

builder.UseOrleans(silo =>
{
    silo.Configure<ClusterOptions>(o =>
    {
        o.ClusterId = config["Orleans:ClusterId"] ?? "agentevendedor";
        o.ServiceId = config["Orleans:ServiceId"] ?? "agentevendedor";
    });
    silo.ConfigureEndpoints(advertised, siloPort, gatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
    silo.UseAdoNetClustering(o =>
    {
        o.Invariant = "Npgsql";
        o.ConnectionString = connectionString;
    });
    silo.AddAgenteVendedor(connectionString, config, builder.Environment.IsProduction());
});

await builder.Build().RunAsync();

static async Task<IPAddress> ResolveAdvertisedAddressAsync(string host)
{
    if (IPAddress.TryParse(host, out var address))
    {
        return address;
    }

    var addresses = await Dns.GetHostAddressesAsync(host);
    return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
        ?? throw new InvalidOperationException($"No se encontró una dirección IPv4 para '{host}' (Orleans:AdvertisedHost).");
}
