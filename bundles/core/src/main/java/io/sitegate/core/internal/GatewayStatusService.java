package io.sitegate.core.internal;

import io.sitegate.core.GatewayStatus;
import io.sitegate.core.HealthRegistry;
import io.sitegate.core.StatusSnapshot;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.karaf.features.FeaturesService;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link StatusSnapshot}: identity, version, uptime, health, installed Sitegate
 * features, and every Sitegate bundle or component that is not running as it should.
 */
@Component(service = GatewayStatus.class, immediate = true)
public final class GatewayStatusService implements GatewayStatus {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayStatusService.class);
    static final String BUNDLE_PREFIX = "io.sitegate.";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile GatewayIdentity identity;

    // Owned, not referenced: as a component of its own that needs GatewayStatus it made a reference cycle.
    private final ReadinessWatcher readiness;

    // Optional: the status screen must work even while the features service restarts.
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile FeaturesService features;

    private final BundleContext context;
    private final HealthRegistry health;
    private final ServiceComponentRuntime scr;

    @Activate
    public GatewayStatusService(BundleContext context, @Reference HealthRegistry health,
                                @Reference ServiceComponentRuntime scr) {
        this.context = context;
        this.health = health;
        this.scr = scr;
        this.readiness = new ReadinessWatcher(() -> snapshot().ready());
    }

    @Deactivate
    void deactivate() {
        readiness.stop();
    }

    @Override
    public StatusSnapshot snapshot() {
        GatewayIdentity id = identity;
        return new StatusSnapshot(
                id == null ? "(not configured)" : id.id(),
                id == null ? "" : id.site(),
                version(),
                Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime()),
                health.snapshot(),
                installedFeatures(),
                notReady(),
                readyAfter());
    }

    private Optional<Duration> readyAfter() {
        ReadinessWatcher w = readiness;
        return w == null || w.readyAfterMs() < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(w.readyAfterMs()));
    }

    private String version() {
        String v = context.getBundle().getHeaders().get("Sitegate-Version");
        return v != null ? v : context.getBundle().getVersion().toString();
    }

    private List<String> installedFeatures() {
        FeaturesService fs = features;
        List<String> out = new ArrayList<>();
        if (fs == null) {
            return out;
        }
        try {
            for (var f : fs.listInstalledFeatures()) {
                if (f.getName().startsWith("sitegate")) {
                    out.add(f.getName() + "/" + f.getVersion());
                }
            }
        } catch (Exception e) {
            LOG.debug("cannot list features", e);
        }
        out.sort(null);
        return out;
    }

    private List<String> notReady() {
        List<String> problems = new ArrayList<>();
        List<Bundle> ours = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            String name = b.getSymbolicName();
            if (name == null || !name.startsWith(BUNDLE_PREFIX)) {
                continue;
            }
            boolean fragment = b.getHeaders().get("Fragment-Host") != null;
            if (b.getState() != Bundle.ACTIVE && !fragment) {
                problems.add("bundle " + name + " is " + bundleState(b.getState()));
            }
            ours.add(b);
        }
        java.util.Set<Long> withComponents = new java.util.HashSet<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(ours.toArray(Bundle[]::new))) {
            withComponents.add(d.bundle.id);
            if (!scr.isComponentEnabled(d)) {
                continue;
            }
            if (d.immediate && scr.getComponentConfigurationDTOs(d).stream()
                    .anyMatch(c -> c.state == ComponentConfigurationDTO.SATISFIED)) {
                problems.add("component " + d.name + " is activating");
            }
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                String problem = switch (c.state) {
                    case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "waits for "
                            + String.join(", ", java.util.Arrays.stream(c.unsatisfiedReferences).map(r -> r.name).toList());
                    case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "waits for its configuration";
                    case ComponentConfigurationDTO.FAILED_ACTIVATION -> "failed: " + firstLine(c.failure);
                    default -> null;
                };
                if (problem != null) {
                    problems.add("component " + d.name + " " + problem);
                }
            }
        }
        // An active bundle whose components SCR has not read yet: its services are about to come.
        for (Bundle b : ours) {
            if (b.getState() == Bundle.ACTIVE && b.getHeaders().get("Service-Component") != null
                    && !withComponents.contains(b.getBundleId())) {
                problems.add("bundle " + b.getSymbolicName() + " components not loaded yet");
            }
        }
        problems.addAll(featuresNotInstalled());
        return problems;
    }

    /**
     * Sitegate features the gateway was asked to install (boot features) that are not installed yet:
     * during boot, bundles of later features are not even present, so "every bundle active" alone
     * would call the gateway ready too early.
     */
    private List<String> featuresNotInstalled() {
        FeaturesService fs = features;
        List<String> out = new ArrayList<>();
        if (fs == null) {
            return out;
        }
        try {
            for (var region : fs.listRequirements().values()) {
                for (String req : region) {
                    if (!req.startsWith("feature:sitegate")) {
                        continue;
                    }
                    String name = req.substring("feature:".length()).split("/", 2)[0];
                    for (var f : fs.getFeatures(name)) {
                        checkInstalled(fs, f, out);
                        for (var dep : f.getDependencies()) {
                            if (dep.getName().startsWith("sitegate")) {
                                for (var d : fs.getFeatures(dep.getName())) {
                                    checkInstalled(fs, d, out);
                                }
                            }
                        }
                    }
                }
            }
        } catch (Exception e) {
            LOG.debug("cannot list the required features", e);
        }
        return out;
    }

    private static void checkInstalled(FeaturesService fs, org.apache.karaf.features.Feature f, List<String> out) {
        if (!fs.isInstalled(f) && !out.contains("feature " + f.getName() + " not installed yet")) {
            out.add("feature " + f.getName() + " not installed yet");
        }
    }

    /**
     * The failure's root cause in one line: SCR reports a constructor's exception wrapped in an
     * InvocationTargetException, whose own line says nothing ("failed: java.lang.reflect.InvocationTargetException").
     */
    static String firstLine(String s) {
        if (s == null) {
            return "activation failed";
        }
        int cause = s.lastIndexOf("Caused by: ");
        String from = cause < 0 ? s : s.substring(cause + "Caused by: ".length());
        int nl = from.indexOf('\n');
        return (nl < 0 ? from : from.substring(0, nl)).strip();
    }

    private static String bundleState(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED (unresolved)";
            case Bundle.RESOLVED -> "RESOLVED (stopped)";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "in state " + state;
        };
    }
}
