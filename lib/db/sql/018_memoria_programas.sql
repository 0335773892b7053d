-- 018: the classifiers read the analysts' earlier decisions (programme
-- memory: a continued programme's earlier sub-topic is the strongest
-- evidence). Read only; decisions stay written by analysts alone.
GRANT SELECT ON decisiones TO pmm_clasificador;
