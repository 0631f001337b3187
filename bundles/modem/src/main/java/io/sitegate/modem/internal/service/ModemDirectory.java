package io.sitegate.modem.internal.service;

import io.sitegate.modem.Modem;
import io.sitegate.modem.Modems;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** Tracks the {@link Modem} services. */
@Component(service = Modems.class)
public final class ModemDirectory implements Modems {
    private final List<Modem> modems = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addModem(Modem modem) {
        modems.add(modem);
    }

    void removeModem(Modem modem) {
        modems.remove(modem);
    }

    @Override
    public List<Modem> all() {
        return modems.stream().sorted(Comparator.comparing(Modem::id)).toList();
    }

    @Override
    public Optional<Modem> byId(String id) {
        return modems.stream().filter(m -> m.id().equals(id)).findFirst();
    }
}
