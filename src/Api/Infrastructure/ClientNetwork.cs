using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace AgenteVendedor.Api.Infrastructure;

/// <summary>
/// Who the client really is. Behind the TLS proxy that WhatsApp requires every request comes from the
/// proxy's address: X-Forwarded-For is believed only from trusted proxies (Network:TrustedProxies,
/// addresses or CIDR networks; default loopback), so limits and lock-outs apply per real client.
/// </summary>
public static class ClientNetwork
{
    public const string TrustedProxiesKey = "Network:TrustedProxies";

    public static void AddClientNetwork(this IServiceCollection services, IConfiguration config)
    {
        var trusted = ReadNetworks(config.GetSection(TrustedProxiesKey).Get<string[]>() ?? SplitList(config[TrustedProxiesKey]));
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var network in trusted)
            {
                o.KnownIPNetworks.Add(network);
            }

            // Only the hop the trusted proxy added counts: anything further left was written by the client.
            o.ForwardLimit = 1;
        });
    }

    /// <summary>
    /// The key limits and lock-outs are counted under: the IPv4 address, or the /64 of an IPv6
    /// address (one subscriber gets a whole /64, and could otherwise rotate through it).
    /// </summary>
    public static string ClientKey(this HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "desconocido";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }

        return address.ToString();
    }

    private static string[] SplitList(string? value) =>
        value is null ? ["127.0.0.1/8", "::1/128"] : value.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static List<System.Net.IPNetwork> ReadNetworks(IEnumerable<string> entries)
    {
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in entries)
        {
            if (System.Net.IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var single))
            {
                networks.Add(new System.Net.IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new InvalidOperationException(
                    $"{TrustedProxiesKey}: '{entry}' no es una dirección IP ni una red CIDR (por ejemplo 10.0.0.0/8).");
            }
        }

        return networks;
    }
}
